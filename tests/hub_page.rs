//! The hub's status page over real HTTP: nothing without signing in, an address that waits after
//! repeated failures (while the admin elsewhere signs in), no form posted from another site, and for a signed-in admin the offices, devices (with the app version they
//! report), pending conflicts and rejected changes with their reasons, all escaped.

mod support;

use pelita_proto::{encode, Mutation, PushRequest};
use support::{raw, token_of, Hub, Laptop};

const ADMIN_PW: &str = "Sandi-Hub-Marelan-7";

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// (status, Location, Set-Cookie, body)
fn call(request: ureq::Request, form: Option<&[(&str, &str)]>) -> (u16, String, String, String) {
    let sent = match form {
        Some(f) => request.send_form(f),
        None => request.call(),
    };
    let response = match sent {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let header = |name: &str| response.header(name).unwrap_or_default().to_string();
    let (status, location, cookie) = (response.status(), header("location"), header("set-cookie"));
    (status, location, cookie, response.into_string().unwrap())
}

fn sign_in(hub: &Hub, user: &str, password: &str) -> (u16, String, String, String) {
    call(
        agent().post(&format!("{}/login", hub.url)),
        Some(&[("username", user), ("password", password)]),
    )
}

/// Signs in over a connection from another loopback address (the admin's own computer); returns
/// the raw answer.
fn sign_in_from(source: &str, hub: &Hub, user: &str, password: &str) -> String {
    use std::io::{Read, Write};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
        let hub_addr: std::net::SocketAddr = hub.url.trim_start_matches("http://").parse().unwrap();
        let stream = socket.connect(hub_addr).await.unwrap();
        let mut stream = stream.into_std().unwrap();
        stream.set_nonblocking(false).unwrap();
        let body = format!("username={user}&password={password}");
        let request = format!(
            "POST /login HTTP/1.1\r\nHost: {hub_addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    })
}

fn page(hub: &Hub, cookie: &str, query: &str) -> (u16, String, String, String) {
    call(
        agent()
            .get(&format!("{}/status{query}", hub.url))
            .set("cookie", cookie),
        None,
    )
}

#[test]
fn the_status_page_needs_an_admin_and_shows_devices_conflicts_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let admin_db = hub.admin();
    let weak = admin_db.set_admin_password("camat", "12345").unwrap_err();
    assert!(weak.to_string().contains("minimal 10"), "{weak}");
    admin_db.set_admin_password("camat", ADMIN_PW).unwrap();

    // Two laptops of Terjun change one employee: a conflict. A forged change is rejected.
    let mut first = Laptop::new(dir.path(), "terjun-1", "TERJUN");
    let mut second = Laptop::new(dir.path(), "terjun-2", "TERJUN");
    first.enrol(&hub);
    second.enrol(&hub);
    let e = first.add_employee(1, "Ani Terjun");
    first.sync();
    second.sync();
    for (laptop, jabatan) in [
        (&mut first, "Kasi Pemerintahan"),
        (&mut second, "Kasi Trantib"),
    ] {
        let admin = laptop.admin.clone();
        let row = laptop
            .store
            .employee_detail(&admin, &e.id)
            .unwrap()
            .employee;
        let mut input = row.to_input();
        input.jabatan = jabatan.into();
        laptop
            .store
            .update_employee(&admin, &e.id, row.version, &input)
            .unwrap();
        laptop.sync();
    }
    let (token, database) = token_of(&first);
    let forged = Mutation {
        mutation_id: "forged-1".into(),
        entity: "<script>alert(1)</script>".into(),
        row_id: "r-1".into(),
        base_version: 0,
        version: 1,
        owner_office_id: pelita_core::office::office_id("TERJUN"),
        payload: serde_json::json!({"id": "r-1", "version": 1, "name": "<b>Budi</b>", "nip": "1990"}),
    };
    let (status, _) = raw(
        &hub,
        "/v1/push",
        &token,
        &database,
        encode(&PushRequest {
            mutations: vec![forged],
            resolved_conflicts: vec![],
        }),
    );
    assert_eq!(status, 200);

    // Without a session: sent to the sign-in form, which shows nothing of the hub.
    let (status, location, _, _) = page(&hub, "", "");
    assert_eq!((status, location.as_str()), (303, "/login"));
    let (status, location, _, _) = page(&hub, "pelita_hub=forged-session", "?lang=en");
    assert_eq!((status, location.as_str()), (303, "/login?lang=en"));
    let (status, _, _, form) = call(agent().get(&format!("{}/login", hub.url)), None);
    assert_eq!(status, 200);
    assert!(form.contains("Kata sandi") && !form.contains("TERJUN"));

    // A form posted from another site is refused before its password is looked at.
    let (status, _, cookie, body) = call(
        agent()
            .post(&format!("{}/login", hub.url))
            .set("origin", "http://situs-lain.example"),
        Some(&[("username", "camat"), ("password", ADMIN_PW)]),
    );
    assert_eq!(status, 403, "{body}");
    assert!(
        cookie.is_empty() && body.contains("dari situs lain"),
        "{body}"
    );

    // Wrong passwords: refused in Indonesian, then this address waits (even with the right one).
    let (status, _, cookie, body) = sign_in(&hub, "camat", "salah-sandi-1");
    assert_eq!(status, 401);
    assert!(cookie.is_empty());
    assert!(
        body.contains("nama pengguna atau kata sandi salah"),
        "{body}"
    );
    let (status, _, _, _) = sign_in(&hub, "siapa", ADMIN_PW);
    assert_eq!(status, 401);
    for _ in 1..=pelita_core::auth::FREE_ATTEMPTS {
        sign_in(&hub, "camat", "salah-sandi-1");
    }
    let (status, _, cookie, body) = sign_in(&hub, "camat", ADMIN_PW);
    assert_eq!(status, 401);
    assert!(cookie.is_empty());
    assert!(body.contains("dari alamat ini"), "{body}");
    // The admin at another computer is not locked out by it.
    let answer = sign_in_from("127.0.0.2", &hub, "camat", ADMIN_PW);
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(
        answer.to_lowercase().contains("set-cookie: pelita_hub="),
        "{answer}"
    );

    // A new password (set at the hub's console) unlocks; signing in gives a session cookie.
    admin_db.set_admin_password("camat", ADMIN_PW).unwrap();
    let (status, location, cookie, _) = sign_in(&hub, "Camat", ADMIN_PW);
    assert_eq!((status, location.as_str()), (303, "/status"));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let session = cookie.split(';').next().unwrap().to_string();

    let (status, _, _, html) = page(&hub, &session, "");
    assert_eq!(status, 200, "{html}");
    for expected in [
        "Status hub Pelita",
        "Masuk sebagai <b>camat</b>",
        "<td>TERJUN</td><td>Kelurahan Terjun</td><td>2</td>",
        &first.store.sync_enrolment().unwrap().unwrap().device_id,
        env!("CARGO_PKG_VERSION"),
        "Konflik menunggu",
        "Pegawai",
        &e.id,
        "Perubahan ditolak",
        // Escaped by the template engine (askama writes numeric references).
        "jenis data &#39;&#60;script&#62;alert(1)&#60;/script&#62;&#39; tidak dikenal",
        // What the office sent, for the Kantor Camat to act on ("ajukan ke kecamatan").
        "<td>1990 · &#60;b&#62;Budi&#60;/b&#62;</td>",
        "<span class=\"warn\">1</span> konflik menunggu",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    assert!(!html.contains("<script>"));
    let overview = hub.admin().overview().unwrap();
    let terjun = overview
        .offices
        .iter()
        .find(|o| o.code == "TERJUN")
        .unwrap();
    assert_eq!(
        (terjun.devices, terjun.pending_conflicts, terjun.rejected),
        (2, 1, 1)
    );
    assert!(terjun.last_sync_at.is_some());
    assert!(overview
        .status
        .devices
        .iter()
        .all(|d| d.app_version.as_deref() == Some(env!("CARGO_PKG_VERSION"))));
    let (_, _, _, english) = page(&hub, &session, "?lang=en");
    assert!(english.contains("Pending conflicts") && english.contains("Signed in as"));

    // Signing out ends the session on the hub, not just in the browser.
    let (status, _, cleared, _) = call(
        agent()
            .post(&format!("{}/logout", hub.url))
            .set("cookie", &session),
        Some(&[]),
    );
    assert_eq!(status, 303);
    assert!(cleared.contains("Max-Age=0"));
    let (status, location, _, _) = page(&hub, &session, "");
    assert_eq!((status, location.as_str()), (303, "/login"));
}
