//! The hub's door for anyone — enrolment — reads little: a body over a few KB is refused unread,
//! and a small body that would inflate into megabytes never reaches the JSON decoder.

mod support;

use std::io::Read;

use support::Hub;

fn enroll(hub: &Hub, body: Vec<u8>) -> (u16, String) {
    let answer = ureq::post(&format!("{}/v1/enroll", hub.url))
        .set(
            pelita_proto::PROTOCOL_HEADER,
            &pelita_proto::PROTOCOL_VERSION.to_string(),
        )
        .send_bytes(&body);
    let response = match answer {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = response.status();
    let mut bytes = Vec::new();
    response.into_reader().read_to_end(&mut bytes).unwrap();
    let said = pelita_proto::decode::<pelita_proto::ErrorBody>(&bytes)
        .map(|e| e.message)
        .unwrap_or_default();
    (status, said)
}

#[test]
fn an_enrolment_is_read_small_and_never_inflated() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    // 64 MiB of zeros, compressed: a couple of KB that would inflate 20,000 times.
    let bomb = zstd::encode_all(std::io::repeat(0).take(64 << 20), 19).unwrap();
    assert!(bomb.len() < 4 * 1024, "{} bytes", bomb.len());
    let (status, said) = enroll(&hub, bomb);
    assert_eq!(status, 413, "{said}");
    assert!(said.contains("melebihi batas"), "{said}");
    // More than a few KB is not read at all.
    let (status, said) = enroll(&hub, vec![7u8; 5 * 1024]);
    assert_eq!(status, 413, "{said}");
    // A real enrolment, a few hundred bytes, still goes through.
    let request = pelita_proto::EnrollRequest {
        code: hub.code_for("TERJUN"),
        device_name: "laptop-kelurahan".into(),
        database_id: "9f1c2d3e-0000-4000-8000-000000000001".into(),
    };
    let (status, said) = enroll(&hub, pelita_proto::encode(&request));
    assert_eq!(status, 200, "{said}");
}

#[test]
fn an_address_guessing_codes_is_made_to_wait_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let guess = |code: &str| {
        enroll(
            &hub,
            pelita_proto::encode(&pelita_proto::EnrollRequest {
                code: code.into(),
                device_name: "penebak".into(),
                database_id: "9f1c2d3e-0000-4000-8000-000000000002".into(),
            }),
        )
    };
    // Ten wrong codes are told they are wrong (a mistyped code tried again is not an attack)…
    for _ in 0..10 {
        let (status, said) = guess("AAAA-BBBB-CCCC-DDDD");
        assert_eq!(status, 401, "{said}");
    }
    // …the eleventh, and anything after it from this address, waits — the right code too.
    let (status, said) = guess("AAAA-BBBB-CCCC-DDDD");
    assert_eq!(status, 401, "{said}");
    let (status, said) = guess(&hub.code_for("TERJUN"));
    assert_eq!(status, 429, "{said}");
    assert!(said.contains("coba lagi dalam 15 menit"), "{said}");
}
