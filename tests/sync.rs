//! Sync over real HTTP on 127.0.0.1: two kelurahan laptops and the HQ converge through the hub,
//! a batch pushed twice changes nothing, an office can neither read nor write another office's
//! rows, a revoked or foreign token is refused, bad bodies are refused without harm, and two
//! laptops of one office changing one row keep both versions for a person to resolve.

mod support;

use pelita_proto::{
    decode, encode, ErrorBody, Mutation, Outcome, PullRequest, PullResponse, PushRequest,
    PushResponse, PROTOCOL_HEADER,
};
use support::link::{Link, LinkSpec};
use support::{raw, token_of, Hub, Laptop};

#[test]
fn two_offices_and_the_hq_converge_and_see_only_their_scope() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    // Terjun reaches the hub through a clean link, which counts the bytes on the wire.
    let link = Link::start(&hub.url, LinkSpec::clean());
    let mut terjun = Laptop::new(dir.path(), "terjun", "TERJUN");
    terjun.enrol_through(&hub, &link.url);
    let mut paya = Laptop::new(dir.path(), "paya", "PAYA-PASIR");
    paya.enrol(&hub);
    let mut hq = Laptop::new(dir.path(), "hq", "KEC-MARELAN");
    hq.enrol(&hub);
    let t1 = terjun.add_employee(1, "Ani Terjun");
    terjun.add_employee(2, "Budi Terjun");
    paya.add_employee(3, "Citra Paya Pasir");
    hq.add_employee(4, "Dedi Kantor Camat");
    // A Terjun edit after the first creation: the hub keeps the latest version.
    let admin = terjun.admin.clone();
    let mut input = t1.to_input();
    input.jabatan = "Kasi Pemerintahan".into();
    terjun
        .store
        .update_employee(&admin, &t1.id, t1.version, &input)
        .unwrap();

    // Any order; a second round for everyone brings the last changes round.
    let first = terjun.sync();
    assert_eq!(first.pushed, 3, "{first:?}");
    paya.sync();
    hq.sync();
    for l in [&mut paya, &mut terjun, &mut hq] {
        l.sync();
    }
    let all: Vec<String> = (1..=4).map(|n| format!("19950505202012100{n}")).collect();
    assert_eq!(hq.nips(), all, "the HQ holds the district");
    assert_eq!(
        terjun.nips(),
        vec![all[0].clone(), all[1].clone(), all[3].clone()]
    );
    assert_eq!(paya.nips(), vec![all[2].clone(), all[3].clone()]);
    let hq_admin = hq.admin.clone();
    let at_hq = hq.store.employee_detail(&hq_admin, &t1.id).unwrap();
    assert_eq!(at_hq.employee.jabatan, "Kasi Pemerintahan");
    assert_eq!(at_hq.employee.version, 2);
    for l in [&terjun, &paya, &hq] {
        let s = l.store.sync_status().unwrap();
        assert_eq!((s.pending, s.open_conflicts, s.rejected), (0, 0, 0));
        assert!(s.last_error.is_none() && s.last_success_at.is_some());
    }

    // Idle: one small request, measured on the wire — request and answer with their HTTP
    // headers, as the link carried them (TCP/IP framing aside) — not as the compressed bodies
    // the client tallies.
    let (up, down, connections) = (link.up(), link.down(), link.connections());
    let idle = terjun.sync();
    let wire = (link.up() - up) + (link.down() - down);
    assert_eq!((idle.requests, idle.pushed, idle.pulled), (1, 0, 0));
    assert_eq!(link.connections() - connections, 1, "one connection");
    eprintln!(
        "idle sync: {wire} B on the wire ({} B up, {} B down); bodies {} B",
        link.up() - up,
        link.down() - down,
        idle.bytes_sent + idle.bytes_received
    );
    assert!(wire <= 1024, "idle sync: {wire} B on the wire; {idle:?}");
}

#[test]
fn the_same_batch_twice_changes_nothing_and_a_foreign_row_is_refused_alone() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut terjun = Laptop::new(dir.path(), "terjun", "TERJUN");
    let mut paya = Laptop::new(dir.path(), "paya", "PAYA-PASIR");
    terjun.enrol(&hub);
    paya.enrol(&hub);
    terjun.add_employee(1, "Ani Terjun");
    terjun.add_employee(2, "Budi Terjun");
    paya.add_employee(3, "Citra Paya Pasir");
    paya.sync();
    let batch = terjun.store.outbox_batch(1 << 20).unwrap();
    assert_eq!(batch.len(), 2);
    let (token, database) = token_of(&terjun);
    let push = |m: Vec<Mutation>| {
        raw(
            &hub,
            "/v1/push",
            &token,
            &database,
            encode(&PushRequest {
                mutations: m,
                resolved_conflicts: vec![],
            }),
        )
    };
    let (status, body) = push(batch.clone());
    assert_eq!(status, 200);
    let acks: PushResponse = decode(&body).unwrap();
    assert!(acks.outcomes.iter().all(|o| *o == Outcome::Applied));
    let before = hub.admin().status().unwrap();
    let (_, body) = push(batch.clone());
    let again: PushResponse = decode(&body).unwrap();
    assert!(again.outcomes.iter().all(|o| *o == Outcome::Duplicate));
    let after = hub.admin().status().unwrap();
    assert_eq!((after.rows, after.last_seq), (before.rows, before.last_seq));

    // A row of Paya Pasir's written with Terjun's token (the row names Paya Pasir, whatever the
    // envelope claims): that change alone is refused with a reason, the rest of the batch applies.
    let paya_id = pelita_core::office::office_id("PAYA-PASIR");
    let mut foreign = batch[0].clone();
    foreign.mutation_id = "0190-foreign.1".into();
    foreign.row_id = "planted".into();
    foreign.payload["id"] = "planted".into();
    foreign.payload["office_id"] = paya_id.clone().into();
    foreign.payload["owner_office_id"] = paya_id.clone().into();
    let mut sneaky = batch[1].clone();
    sneaky.mutation_id = "0190-sneaky.1".into();
    sneaky.base_version = 1;
    sneaky.version = 2;
    sneaky.payload["version"] = 2.into();
    let (status, body) = push(vec![foreign.clone(), sneaky]);
    assert_eq!(status, 200);
    let acks: PushResponse = decode(&body).unwrap();
    let Outcome::Rejected { reason, hub_row } = &acks.outcomes[0] else {
        panic!("{:?}", acks.outcomes);
    };
    assert!(reason.contains("Kelurahan Paya Pasir"), "{reason}");
    assert_eq!(*hub_row, None, "the hub has no such row");
    assert_eq!(acks.outcomes[1], Outcome::Applied);
    let after = hub.admin().status().unwrap();
    assert_eq!(
        after.last_seq,
        before.last_seq + 1,
        "only the legitimate change"
    );
    // Sent again, the refusal is answered again (not as a duplicate that was never stored).
    let (_, body) = push(vec![foreign]);
    let again: PushResponse = decode(&body).unwrap();
    assert!(
        matches!(&again.outcomes[0], Outcome::Rejected { reason, .. } if reason.contains("Paya Pasir"))
    );

    // Reading: Terjun's pull never carries Paya Pasir's rows.
    let (status, body) = raw(
        &hub,
        "/v1/pull",
        &token,
        &database,
        encode(&PullRequest {
            cursor: 0,
            max_bytes: 1 << 20,
            include_own: true,
            writer: None,
        }),
    );
    assert_eq!(status, 200);
    let page: PullResponse = decode(&body).unwrap();
    assert_eq!(page.changes.len(), 2);
    assert!(page.changes.iter().all(|c| c.owner_office_id != paya_id));
    // Without asking, a device is not sent back what it wrote itself; the cursor still moves on.
    let (_, body) = raw(
        &hub,
        "/v1/pull",
        &token,
        &database,
        encode(&PullRequest {
            cursor: 0,
            max_bytes: 1 << 20,
            include_own: false,
            writer: None,
        }),
    );
    let page: PullResponse = decode(&body).unwrap();
    assert!(page.changes.is_empty());
    assert_eq!(page.cursor, after.last_seq);

    // Another laptop's database with this token: refused.
    let (status, _) = raw(
        &hub,
        "/v1/pull",
        &token,
        "another-database",
        encode(&PullRequest {
            cursor: 0,
            max_bytes: 1000,
            include_own: false,
            writer: None,
        }),
    );
    assert_eq!(status, 409);
}

#[test]
fn revoked_tokens_wrong_protocols_and_bad_bodies_are_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut terjun = Laptop::new(dir.path(), "terjun", "TERJUN");
    terjun.enrol(&hub);
    let (token, database) = token_of(&terjun);

    let (status, body) = raw(
        &hub,
        "/v1/pull",
        &token,
        &database,
        b"\x28\xb5\x2f\xfd garbage".to_vec(),
    );
    assert_eq!(status, 400);
    assert_eq!(decode::<ErrorBody>(&body).unwrap().code, "bad_request");
    let (status, body) = raw(
        &hub,
        "/v1/push",
        &token,
        &database,
        vec![7u8; 9 * 1024 * 1024],
    );
    assert_eq!(status, 413);
    assert!(decode::<ErrorBody>(&body)
        .unwrap()
        .message
        .contains("melebihi"));

    let old = ureq::post(&format!("{}/v1/pull", hub.url))
        .set(PROTOCOL_HEADER, "0")
        .send_bytes(&encode(&PullRequest {
            cursor: 0,
            max_bytes: 1,
            include_own: false,
            writer: None,
        }));
    let Err(ureq::Error::Status(426, response)) = old else {
        panic!("an old protocol must be refused");
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
    assert!(decode::<ErrorBody>(&bytes)
        .unwrap()
        .message
        .contains("versi protokol"));

    // Still serving after all that.
    terjun.add_employee(1, "Ani Terjun");
    assert_eq!(terjun.sync().pushed, 1);

    let device = terjun.store.sync_enrolment().unwrap().unwrap().device_id;
    hub.admin().revoke(&device).unwrap();
    terjun.add_employee(2, "Budi Terjun");
    let err = pelita_sync::run(&mut terjun.store, &Default::default()).unwrap_err();
    assert!(err.is_permanent());
    assert!(err.to_string().contains("dicabut"), "{err}");
    let status = terjun.store.sync_status().unwrap();
    assert_eq!(status.pending, 1, "nothing is marked sent that was not");
    assert!(status.last_error.unwrap().contains("dicabut"));

    // A used code does not enrol twice.
    let code = hub.code_for("TERJUN");
    let admin = terjun.admin.clone();
    pelita_sync::enroll(&mut terjun.store, &admin, &hub.url, &code, "laptop").unwrap();
    let again =
        pelita_sync::enroll(&mut terjun.store, &admin, &hub.url, &code, "laptop").unwrap_err();
    assert!(
        again.to_string().contains("kode pendaftaran tidak berlaku"),
        "{again}"
    );
    // A code for another office is refused by the laptop.
    let other = hub.code_for("PAYA-PASIR");
    let wrong =
        pelita_sync::enroll(&mut terjun.store, &admin, &hub.url, &other, "laptop").unwrap_err();
    assert!(wrong.to_string().contains("PAYA-PASIR"), "{wrong}");
}

#[test]
fn two_laptops_of_one_office_changing_one_row_keep_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut first = Laptop::new(dir.path(), "terjun-1", "TERJUN");
    let mut second = Laptop::new(dir.path(), "terjun-2", "TERJUN");
    first.enrol(&hub);
    second.enrol(&hub);
    let e = first.add_employee(1, "Ani Terjun");
    first.sync();
    second.sync();
    let jabatan = |l: &mut Laptop| {
        let admin = l.admin.clone();
        l.store
            .employee_detail(&admin, &e.id)
            .unwrap()
            .employee
            .jabatan
    };
    first.set_jabatan(&e.id, "Kasi Pemerintahan");
    // The second laptop changes it twice: its version 3 is not the hub's version 3.
    second.set_jabatan(&e.id, "Kasi Trantib");
    second.set_jabatan(&e.id, "Kasi Ketenteraman dan Ketertiban");
    assert_eq!(first.sync().conflicts, 0);
    let report = second.sync();
    assert_eq!(report.conflicts, 1, "{report:?}");
    let admin = second.admin.clone();
    let conflicts = second.store.sync_conflicts(&admin).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert!(conflicts[0]
        .local_payload
        .contains("Kasi Ketenteraman dan Ketertiban"));
    assert!(conflicts[0].hub_payload.contains("Kasi Pemerintahan"));
    // Both versions are whole records: a Pegawai account may not read them.
    second
        .store
        .add_user(
            &admin,
            &pelita_store::NewUser {
                username: "pegawai".into(),
                full_name: "Ani Terjun".into(),
                roles: vec![pelita_core::auth::Role::Pegawai],
                office_code: None,
                employee_nip: Some("199505052020121001".into()),
                password: support::PW.into(),
            },
        )
        .unwrap();
    let pegawai = second.store.login("pegawai", support::PW).unwrap();
    let refused = second.store.sync_conflicts(&pegawai).unwrap_err();
    assert_eq!(refused.code().to_string(), "permission_denied");
    // Nothing is dropped: the laptop keeps its version until a person chooses, the hub its own.
    first.sync();
    assert_eq!(
        jabatan(&mut first),
        "Kasi Pemerintahan",
        "no silent overwrite"
    );
    assert_eq!(jabatan(&mut second), "Kasi Ketenteraman dan Ketertiban");
    assert_eq!(hub.admin().status().unwrap().pending_conflicts, 1);
    assert_eq!(second.store.sync_status().unwrap().open_conflicts, 1);

    // The person keeps the second laptop's version: it becomes the next version everywhere.
    let admin = second.admin.clone();
    second
        .store
        .resolve_conflict(
            &admin,
            &conflicts[0].mutation_id,
            &pelita_store::Resolution::KeepMine,
        )
        .unwrap();
    assert_eq!(second.sync().conflicts, 0);
    first.sync();
    assert_eq!(jabatan(&mut first), "Kasi Ketenteraman dan Ketertiban");
    assert_eq!(
        first.store.sync_checksum().unwrap(),
        second.store.sync_checksum().unwrap()
    );
    assert_eq!(second.store.sync_status().unwrap().open_conflicts, 0);
    assert_eq!(
        hub.admin().status().unwrap().pending_conflicts,
        0,
        "the hub closed it too"
    );
}

#[test]
fn a_field_by_field_merge_keeps_both_laptops_changes() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut first = Laptop::new(dir.path(), "terjun-1", "TERJUN");
    let mut second = Laptop::new(dir.path(), "terjun-2", "TERJUN");
    first.enrol(&hub);
    second.enrol(&hub);
    let e = first.add_employee(1, "Ani Terjun");
    first.sync();
    second.sync();
    let change = |l: &mut Laptop, edit: &dyn Fn(&mut pelita_core::employee::EmployeeInput)| {
        let admin = l.admin.clone();
        let row = l.store.employee_detail(&admin, &e.id).unwrap().employee;
        let mut input = row.to_input();
        edit(&mut input);
        l.store
            .update_employee(&admin, &e.id, row.version, &input)
            .unwrap();
    };
    change(&mut first, &|i| i.jabatan = "Kasi Pemerintahan".into());
    change(&mut second, &|i| i.name = "Ani Lestari".into());
    first.sync();
    assert_eq!(second.sync().conflicts, 1);
    let admin = second.admin.clone();
    let c = second.store.sync_conflicts(&admin).unwrap().remove(0);
    // The person takes the hub's jabatan and keeps this laptop's name.
    let mut merged: serde_json::Value = serde_json::from_str(&c.local_payload).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(&c.hub_payload).unwrap();
    merged["jabatan"] = theirs["jabatan"].clone();
    let admin = second.admin.clone();
    second
        .store
        .resolve_conflict(
            &admin,
            &c.mutation_id,
            &pelita_store::Resolution::Merged(merged.to_string()),
        )
        .unwrap();
    second.sync();
    first.sync();
    for l in [&mut first, &mut second] {
        let admin = l.admin.clone();
        let row = l.store.employee_detail(&admin, &e.id).unwrap().employee;
        assert_eq!(
            (row.name.as_str(), row.jabatan.as_str()),
            ("Ani Lestari", "Kasi Pemerintahan")
        );
    }
    // Settled once: a second settlement finds nothing open.
    let err = second
        .store
        .resolve_conflict(&admin, &c.mutation_id, &pelita_store::Resolution::KeepMine)
        .unwrap_err();
    assert_eq!(
        err.code(),
        pelita_store::ErrorCode::NotFound,
        "a settled conflict is not settled twice"
    );
}

/// A row the laptop holds at the same version as the hub but with other content (its own create
/// the hub refused, while another laptop's reached the hub under the same id) takes the hub's
/// content on the next pull: a laptop never silently differs from the hub at an equal version.
#[test]
fn the_same_version_with_other_content_takes_the_hubs() {
    let dir = tempfile::tempdir().unwrap();
    let mut terjun = Laptop::new(dir.path(), "terjun", "TERJUN");
    let ani = terjun.add_employee(1, "Ani");
    // The row as this laptop sent it, with another jabatan: what another laptop's reached the hub as.
    let sent: String = terjun
        .store
        .connection()
        .query_row(
            "SELECT payload FROM outbox WHERE row_id = ?1",
            [&ani.id],
            |r| r.get(0),
        )
        .unwrap();
    let mut hub_row: serde_json::Value = serde_json::from_str(&sent).unwrap();
    hub_row["jabatan"] = "Kasi Pemerintahan".into();
    let page = pelita_proto::PullResponse {
        changes: vec![pelita_proto::RowChange {
            seq: 1,
            entity: "employee".into(),
            row_id: ani.id.clone(),
            owner_office_id: ani.office_id.clone(),
            previous_owner: None,
            version: ani.version,
            payload: hub_row,
        }],
        cursor: 1,
        more: false,
        offices: vec![],
    };
    // Not held: nothing of it waits to be sent.
    terjun
        .store
        .connection()
        .execute(
            "UPDATE outbox SET acked_at = 'x' WHERE row_id = ?1",
            [&ani.id],
        )
        .unwrap();
    assert_eq!(terjun.store.apply_pull(&page).unwrap(), 1);
    let admin = terjun.admin.clone();
    let now = terjun
        .store
        .employee_detail(&admin, &ani.id)
        .unwrap()
        .employee;
    assert_eq!(
        (now.version, now.jabatan.as_str()),
        (ani.version, "Kasi Pemerintahan")
    );
    // The same content again changes nothing.
    assert_eq!(terjun.store.apply_pull(&page).unwrap(), 0);
}
