//! The `pelita-hub` binary as the hub admin runs it: offices, one-time device codes, revocation,
//! status, and serving on a port.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn hub(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .args(pelita_hub::local::database_args(db))
        .args(args)
        .env_remove("PELITA_HUB_DB")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn offices_codes_devices_and_status_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite");
    let out = hub(&db, &["office", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("KEC-MARELAN") && text(&out.stdout).contains("(HQ)"));
    let out = hub(
        &db,
        &[
            "office",
            "add",
            "--code",
            "kel-baru",
            "--name",
            "Kelurahan Baru",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&hub(&db, &["office", "list"]).stdout).contains("KEL-BARU"));
    let out = hub(
        &db,
        &["office", "add", "--code", "KEL-BARU", "--name", "Lagi"],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("sudah ada"));

    let out = hub(
        &db,
        &["device", "enroll", "--office", "TERJUN", "--hours", "2"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = text(&out.stdout).trim().to_string();
    assert_eq!(code.len(), 19, "XXXX-XXXX-XXXX-XXXX (80 bits): {code}");
    assert!(text(&out.stderr).contains("sekali pakai"));
    let out = hub(&db, &["device", "enroll", "--office", "ANTAH"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("'ANTAH' tidak ada"));

    let out = hub(&db, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        status["offices"],
        6 + 1,
        "the seeded offices and the one added"
    );
    assert_eq!(status["devices"], serde_json::json!([]));
    let out = hub(&db, &["device", "revoke", "tidak-ada"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("tidak ada atau sudah dicabut"));
}

#[test]
fn serve_listens_and_refuses_an_old_protocol_in_indonesian() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .args(pelita_hub::local::database_args(
            &dir.path().join("hub.sqlite"),
        ))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let answer = ureq::post(&format!("{url}/v1/pull")).send_bytes(b"");
    child.kill().unwrap();
    let _ = child.wait();
    let Err(ureq::Error::Status(426, response)) = answer else {
        panic!("no protocol header must be refused");
    };
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut body).unwrap();
    let error: pelita_proto::ErrorBody = pelita_proto::decode(&body).unwrap();
    assert_eq!(error.code, "protocol");
    assert!(error.message.contains("versi protokol"));
}

#[test]
fn plain_http_beyond_loopback_is_refused_unless_said_on_purpose() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .args(pelita_hub::local::database_args(
            &dir.path().join("hub.sqlite"),
        ))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the hub must not serve plain HTTP on every address"
    );
    let said = text(&out.stderr);
    assert!(
        said.contains("tanpa enkripsi") && said.contains("--insecure-http"),
        "{said}"
    );
}
