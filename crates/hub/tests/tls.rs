//! `pelita-hub serve --tls-cert F --tls-key F`: a laptop that trusts the hub's CA (named by
//! `PELITA_HUB_CA`) enrols and syncs over HTTPS; one that does not is told so, for good; plain
//! HTTP gets a TLS alert and a closed connection, no HTTP answer; the status page's cookie is
//! marked Secure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};
use pelita_store::{Setup, Store};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

#[test]
fn a_laptop_syncs_over_https_only_with_the_hubs_certificate_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    // The Kantor Camat's own CA, and the hub's certificate signed by it.
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let hub_key = KeyPair::generate().unwrap();
    let hub_cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&hub_key, &ca, &ca_key)
        .unwrap();
    std::fs::write(path("ca.pem"), ca.pem()).unwrap();
    std::fs::write(path("hub.pem"), hub_cert.pem()).unwrap();
    std::fs::write(path("hub.key"), hub_key.serialize_pem()).unwrap();

    let hub = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
            .args(pelita_hub::local::database_args(&path("hub.sqlite")))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // A key that does not parse is named.
    let out = hub(&[
        "serve",
        "--tls-cert",
        path("hub.pem").to_str().unwrap(),
        "--tls-key",
        path("ca.pem").to_str().unwrap(),
    ])
    .wait_with_output()
    .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("kunci privat"));

    let mut admin = hub(&["admin", "set-password", "--user", "camat"]);
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(b"Sandi-Hub-Marelan-7\n")
        .unwrap();
    assert!(admin.wait_with_output().unwrap().status.success());
    let code = hub(&["device", "enroll", "--office", "TERJUN"])
        .wait_with_output()
        .unwrap();
    let code = String::from_utf8(code.stdout).unwrap().trim().to_string();

    let mut server = hub(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        path("hub.pem").to_str().unwrap(),
        "--tls-key",
        path("hub.key").to_str().unwrap(),
    ]);
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");

    let (mut store, actor) = Store::create(
        path("terjun.sqlite"),
        &Setup {
            office_code: "TERJUN".into(),
            load_demo: false,
            username: "admin".into(),
            full_name: "Admin Kecamatan".into(),
            password: "Sandi-Uji-Sinkron-1".into(),
        },
    )
    .unwrap();
    // Not trusted yet: a lasting error that says what to do, and nothing sent.
    let untrusted = pelita_sync::enroll(&mut store, &actor, &url, &code, "terjun").unwrap_err();
    assert!(untrusted.is_permanent(), "{untrusted}");
    assert!(
        untrusted.to_string().contains("PELITA_HUB_CA"),
        "{untrusted}"
    );

    // SAFETY: this test binary runs this one test; nothing else reads the environment now.
    std::env::set_var(pelita_sync::tls::CA_ENV, path("ca.pem"));
    pelita_sync::enroll(&mut store, &actor, &url, &code, "terjun").unwrap();
    store
        .create_employee(
            &actor,
            &EmployeeInput {
                nip: "198001012006041001".into(),
                gelar_depan: String::new(),
                name: "Ani Terjun".into(),
                gelar_belakang: String::new(),
                birth_date: None,
                sex: None,
                status: EmploymentStatus::Pns,
                golongan: "III/a".into(),
                jabatan: "Pelaksana".into(),
                jenis_jabatan: JenisJabatan::Pelaksana,
                office_id: pelita_core::office::office_id("TERJUN"),
                atasan_id: None,
                contract_start: None,
                contract_end: None,
            },
        )
        .unwrap();
    let report = pelita_sync::run(&mut store, &Default::default()).unwrap();
    assert_eq!(report.pushed, 1, "{report:?}");

    // Plain HTTP on the HTTPS port gets no HTTP answer: one fatal TLS alert record (content type
    // 21, a TLS record version, 2 bytes: level 2 = fatal, then the reason — decode_error with
    // rustls 0.23) and the connection closed. A client finds no status line where it expects
    // one: a transport error, never a status (an error status would be an answer over HTTP).
    let address = url.trim_start_matches("https://");
    let answer = plain_http_answer(address);
    assert!(
        matches!(answer[..], [0x15, 0x03, 0x01..=0x03, 0x00, 0x02, 0x02, _]),
        "not one fatal TLS alert: {answer:02x?} {:?}",
        String::from_utf8_lossy(&answer)
    );
    match ureq::get(&format!("http://{address}/login")).call() {
        Err(ureq::Error::Transport(t)) => assert_eq!(t.kind(), ureq::ErrorKind::Io, "{t}"),
        other => panic!("plain HTTP got an HTTP answer: {other:?}"),
    }

    // The status page over HTTPS: its session cookie only travels over TLS.
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .tls_config(pelita_sync::tls::trusting(&path("ca.pem")).unwrap())
        .build();
    let signed_in = agent
        .post(&format!("{url}/login"))
        .send_form(&[("username", "camat"), ("password", "Sandi-Hub-Marelan-7")])
        .unwrap();
    let cookie = signed_in
        .header("set-cookie")
        .unwrap_or_default()
        .to_string();
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(signed_in.status(), 303);
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// Everything a port sends back to a plain-HTTP request, until it closes the connection.
fn plain_http_answer(address: &str) -> Vec<u8> {
    let mut tcp = TcpStream::connect(address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let request = format!("GET /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    tcp.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer)
        .expect("the connection is closed, not left open");
    answer
}
