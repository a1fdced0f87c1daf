//! Bukti dukung across the district: a realisasi's PDF added at the Kantor Camat crosses an
//! emulated 64 kbit/s link after its rows, in chunks, while rows written meanwhile overtake it;
//! another laptop sees the attachment at once but opens the file only after fetching it, and a
//! fetch cut by the link resumes where it stopped.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pelita_core::appraisal::form::RhkJenis;
use pelita_core::appraisal::plan::{PlanIndicator, PlanInput, PlanRhk, Target};
use pelita_core::appraisal::{Aspect, Period};
use pelita_core::auth::Actor;
use pelita_store::{ErrorCode, RealisasiInput, Store, StoreError};
use support::link::{Link, LinkSpec};
use support::transfer::{day, person, register};
use support::{Hub, Laptop, PW};

const CAMAT: &str = "197001011994011001";
const SEKCAM: &str = "199505052020121009";

/// Runs `attempt` until it succeeds, as the background runner retries a link that fails;
/// returns how many attempts it took.
fn until_ok<T>(mut attempt: impl FnMut() -> Result<T, pelita_sync::SyncError>) -> (T, u32) {
    for n in 1..=20 {
        match attempt() {
            Ok(v) => return (v, n),
            Err(e) if !e.is_permanent() => {}
            Err(e) => panic!("after {n} attempts: {e}"),
        }
    }
    panic!("still failing after 20 attempts");
}

/// A scanned report: a PDF's signature, then `len` bytes that do not compress.
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.5\n".to_vec();
    let mut x: u32 = 2026;
    bytes.extend((0..len).map(|_| {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (x >> 24) as u8
    }));
    bytes
}

/// The Camat's agreed plan of 2026 (the head of the chain signs alone) and the realisasi of its
/// one indicator for Triwulan I, on the Kantor Camat's laptop; returns the Camat and the realisasi.
fn camat_realisasi(hq: &mut Laptop) -> (Actor, String) {
    let camat_id = register(hq, CAMAT, "Ahmad Camat", "Camat", None);
    // The Camat heads the chain: someone answers to him.
    register(
        hq,
        SEKCAM,
        "Rina Sekcam",
        "Sekretaris Camat",
        Some(&camat_id),
    );
    let camat = person(hq, "camat", CAMAT);
    let input = PlanInput {
        employee_id: camat_id.clone(),
        year: 2026,
        items: vec![PlanRhk {
            id: "c1".into(),
            jenis: RhkJenis::Utama,
            rhk: "Pelayanan administrasi kependudukan prima".into(),
            intervensi: None,
            indicators: vec![PlanIndicator {
                indikator: "Persentase layanan selesai tepat waktu".into(),
                aspek: Aspect::Kuantitas,
                target: Target::Kuantitatif {
                    nilai: 90.0,
                    satuan: "persen".into(),
                },
            }],
        }],
    };
    let plan = hq.store.save_plan(&camat, None, 0, &input).unwrap();
    let plan = hq
        .store
        .sign_plan(&camat, &plan.id, plan.version, PW)
        .unwrap();
    let realisasi = hq
        .store
        .save_realisasi(
            &camat,
            &RealisasiInput {
                plan_id: plan.id,
                rhk_id: "c1".into(),
                indicator: 0,
                period: Period::TriwulanI,
                month: None,
                realisasi: Some(93.5),
                uraian: "Rekap layanan Januari–Maret terlampir".into(),
                expected_version: 0,
            },
        )
        .unwrap();
    (camat, realisasi.id)
}

/// The laptop behind a lock, as the desktop app holds it: a sync run takes it only between two
/// requests, so people keep working while a chunk is on the wire.
struct Shared(Arc<Mutex<Laptop>>);

impl pelita_sync::Local for Shared {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(&mut self.0.lock().unwrap().store)
    }
}

#[test]
fn a_large_attachment_crosses_64_kbit_per_second_without_delaying_other_rows() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let link = Link::start(
        &hub.url,
        LinkSpec {
            bits_per_second: 64_000,
            latency: Duration::from_millis(280),
            jitter: Duration::from_millis(40),
            cut_between: None,
            seed: 7,
        },
    );
    let mut hq = Laptop::new(dir.path(), "hq", "KEC-MARELAN");
    hq.enrol_through(&hub, &link.url);
    hq.store.pin_today(day("2026-04-06")).unwrap();
    let (camat, realisasi) = camat_realisasi(&mut hq);
    // 192 KiB: six chunks, some 25 seconds of the link.
    let file = pdf(192 * 1024);
    let added = hq
        .store
        .attach_evidence(&camat, &realisasi, "rekap-triwulan-1.pdf", &file)
        .unwrap();
    assert!(!added.at_hub);
    let rows = u64::from(hq.store.pending_count().unwrap());

    let laptop = Arc::new(Mutex::new(hq));
    let mut shared = Shared(laptop.clone());
    let run =
        std::thread::spawn(move || pelita_sync::run(&mut shared, &pelita_sync::Options::default()));
    // Once the file is on its way (its rows are at the hub, the chunks go), an operator registers
    // someone: that row reaches the hub before the file is whole.
    let admin_view = hub.admin();
    let started = Instant::now();
    while admin_view.received_count().unwrap() < rows {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "rows never arrived"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(6));
    let before = admin_view.received_count().unwrap();
    let written = Instant::now();
    laptop.lock().unwrap().add_employee(3, "Sari Ginting");
    while admin_view.received_count().unwrap() == before {
        assert!(
            written.elapsed() < Duration::from_secs(120),
            "the new row never arrived"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let row_took = written.elapsed();
    let file_waiting = laptop.lock().unwrap().store.files_to_upload().unwrap();
    let report = run.join().unwrap().unwrap();
    let whole_took = started.elapsed();
    println!(
        "64 kbit/s: a row written during the upload reached the hub in {:.1} s; the {} KiB file was whole after {:.1} s",
        row_took.as_secs_f64(),
        file.len() / 1024,
        whole_took.as_secs_f64()
    );
    assert_eq!(
        file_waiting, 1,
        "the row overtook the file: the file was still on its way when the row arrived"
    );
    assert_eq!(report.files_uploaded, 1);
    assert_eq!(
        u64::from(report.pushed),
        rows + 1,
        "the first rows and the one written meanwhile"
    );
    let mut hq = Arc::try_unwrap(laptop).ok().unwrap().into_inner().unwrap();
    assert_eq!(hq.store.files_to_upload().unwrap(), 0);
    assert_eq!(hq.store.sync_status().unwrap().files_waiting, 0);
    // A second run has nothing to send again.
    let again = hq.sync();
    assert_eq!((again.pushed, again.files_uploaded), (0, 0));

    // A second laptop of the Kantor Camat sees the attachment at once, and the file only after
    // fetching it; a fetch through a link that cuts resumes where it stopped.
    let cutting = Link::start(
        &hub.url,
        LinkSpec {
            cut_between: Some((70_000, 120_000)),
            seed: 11,
            ..LinkSpec::clean()
        },
    );
    let mut other = Laptop::new(dir.path(), "hq2", "KEC-MARELAN");
    other.enrol_through(&hub, &cutting.url);
    other.store.pin_today(day("2026-04-06")).unwrap();
    other.sync();
    let camat2 = person(&mut other, "camat", CAMAT);
    let seen = other.store.attachment(&camat2, &added.id).unwrap();
    assert!(!seen.available);
    let err = other.store.open_attachment(&camat2, &added.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFetched);
    let (fetched, _) = until_ok(|| {
        pelita_sync::fetch_attachment(
            &mut other.store,
            &camat2,
            &added.id,
            &pelita_sync::Options::default(),
        )
    });
    assert!(fetched.available);
    assert!(cutting.cuts() >= 1, "the link was never cut");
    assert!(
        cutting.down() < (file.len() as u64) * 3 / 2,
        "a cut fetch resumes instead of starting again ({} bytes for a {} byte file)",
        cutting.down(),
        file.len()
    );
    let (_, bytes) = other.store.open_attachment(&camat2, &added.id).unwrap();
    assert_eq!(bytes, file);
}

/// GET and PUT of one chunk with `l`'s token, as a client that does not follow the engine could.
fn chunk_request(hub: &Hub, l: &Laptop, sha256: &str, put: Option<&[u8]>) -> u16 {
    let (token, database) = support::token_of(l);
    let url = format!("{}{}", hub.url, pelita_proto::blob_chunk_path(sha256, 0));
    let request = match put {
        Some(_) => ureq::put(&url),
        None => ureq::get(&url),
    }
    .set(
        pelita_proto::PROTOCOL_HEADER,
        &pelita_proto::PROTOCOL_VERSION.to_string(),
    )
    .set(pelita_proto::DATABASE_HEADER, &database)
    .set("authorization", &format!("Bearer {token}"));
    let answer = match put {
        Some(bytes) => request.send_bytes(bytes),
        None => request.call(),
    };
    match answer {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    }
}

/// The hub gives a file only to an office that holds it, and knowing its hash is not holding it:
/// Terjun, which reads none of the Kantor Camat's realisasi, pushes an attachment of its own that
/// names the Camat's file (a participation of Budi's, the same size) — the hub takes the row, but
/// gives Terjun neither the file nor the right to send it in the Camat's place.
#[test]
fn knowing_a_file_s_hash_does_not_open_it() {
    use support::transfer::district;
    let (mut d, budi) = district();
    d.hq.store.pin_today(day("2026-04-06")).unwrap();
    let (camat, realisasi) = camat_realisasi(&mut d.hq);
    let file = pdf(40 * 1024);
    let added =
        d.hq.store
            .attach_evidence(&camat, &realisasi, "foto-kegiatan.pdf", &file)
            .unwrap();
    d.hq.sync();
    assert_eq!(d.hq.store.files_to_upload().unwrap(), 0);

    let admin = d.terjun.admin.clone();
    let training = d
        .terjun
        .store
        .list_trainings(&admin, &Default::default())
        .unwrap()
        .into_iter()
        .find(|t| t.input.title == "Bimtek Pelayanan Prima")
        .unwrap();
    let forged_id = "01938a6e-0000-7000-8000-00000000f0f0".to_string();
    let forged = pelita_proto::Mutation {
        mutation_id: format!("{forged_id}-m"),
        entity: "attachment".into(),
        row_id: forged_id.clone(),
        base_version: 0,
        version: 1,
        owner_office_id: pelita_core::office::office_id("TERJUN"),
        payload: serde_json::json!({
            "id": forged_id, "owner_office_id": pelita_core::office::office_id("TERJUN"),
            "employee_id": budi,
            "realisasi_id": null,
            "participation_id": pelita_core::fact_id("participation", &[&training.id, &budi]),
            "file_name": "sertifikat.pdf", "media_type": "application/pdf",
            "size": added.size, "sha256": added.sha256, "added_by": "admin",
            "version": 1, "deleted": 0,
            "created_at": "2026-04-06T08:00:00.000Z", "updated_at": "2026-04-06T08:00:00.000Z",
        }),
    };
    let (token, database) = support::token_of(&d.terjun);
    let (status, body) = support::raw(
        &d._hub,
        "/v1/push",
        &token,
        &database,
        pelita_proto::encode(&pelita_proto::PushRequest {
            mutations: vec![forged],
            resolved_conflicts: vec![],
        }),
    );
    assert_eq!(status, 200);
    let answer: pelita_proto::PushResponse = pelita_proto::decode(&body).unwrap();
    assert!(
        matches!(answer.outcomes[0], pelita_proto::Outcome::Applied),
        "{:?}",
        answer.outcomes
    );
    assert_eq!(chunk_request(&d._hub, &d.terjun, &added.sha256, None), 403);
    // Sending the start of something else as that file is refused: only the file itself proves
    // an office has it.
    assert_eq!(
        chunk_request(
            &d._hub,
            &d.terjun,
            &added.sha256,
            Some(&vec![0u8; 32 * 1024])
        ),
        400
    );
    assert_eq!(chunk_request(&d._hub, &d.terjun, &added.sha256, None), 403);
    // The Kantor Camat's laptop, whose office sent the file, holds it.
    assert_eq!(chunk_request(&d._hub, &d.hq, &added.sha256, None), 200);
}

/// An upload cut by the link resumes at the chunk the hub lacks: the file crosses once, not once
/// per attempt, and arrives whole.
#[test]
fn an_upload_cut_by_the_link_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let link = Link::start(
        &hub.url,
        LinkSpec {
            cut_between: Some((60_000, 100_000)),
            seed: 5,
            ..LinkSpec::clean()
        },
    );
    let mut hq = Laptop::new(dir.path(), "hq", "KEC-MARELAN");
    hq.enrol_through(&hub, &link.url);
    hq.store.pin_today(day("2026-04-06")).unwrap();
    let (camat, realisasi) = camat_realisasi(&mut hq);
    let file = pdf(256 * 1024);
    let added = hq
        .store
        .attach_evidence(&camat, &realisasi, "rekap.pdf", &file)
        .unwrap();
    until_ok(|| pelita_sync::run(&mut hq.store, &pelita_sync::Options::default()));
    assert!(link.cuts() >= 2, "the link was cut {} times", link.cuts());
    assert!(
        link.up() < (file.len() as u64) * 3 / 2,
        "{} bytes sent for a {} byte file",
        link.up(),
        file.len()
    );
    assert_eq!(hq.store.files_to_upload().unwrap(), 0);
    // Whole at the hub: a second laptop fetches it and opens the same bytes.
    let mut other = Laptop::new(dir.path(), "hq2", "KEC-MARELAN");
    other.enrol(&hub);
    other.sync();
    let camat2 = person(&mut other, "camat", CAMAT);
    pelita_sync::fetch_attachment(
        &mut other.store,
        &camat2,
        &added.id,
        &pelita_sync::Options::default(),
    )
    .unwrap();
    assert_eq!(
        other.store.open_attachment(&camat2, &added.id).unwrap().1,
        file
    );
}

/// A certificate's file follows its participant on a transfer: attached and uploaded at Terjun,
/// Budi moves to Paya Pasir, whose laptop then holds the attachment row and fetches the file — and
/// so for one Terjun attached and sent after the move, not knowing of it yet.
#[test]
fn a_certificate_file_follows_its_participant_to_the_new_office() {
    use support::transfer::{approval, district, transfer_to_paya};
    let (mut d, budi) = district();
    let admin = d.terjun.admin.clone();
    let training = d
        .terjun
        .store
        .list_trainings(&admin, &Default::default())
        .unwrap()
        .into_iter()
        .find(|t| t.input.title == "Bimtek Pelayanan Prima")
        .unwrap();
    let scan = pdf(50 * 1024);
    let file = d
        .terjun
        .store
        .attach_certificate(&admin, &training.id, &budi, "sertifikat-bimtek.pdf", &scan)
        .unwrap();
    d.sync_all();
    assert_eq!(d.terjun.store.files_to_upload().unwrap(), 0);

    d.pin("2026-06-20");
    let asked = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    d.sync_all();
    d.pin("2026-07-02");
    let hq_admin = d.hq.admin.clone();
    d.hq.store
        .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
        .unwrap();
    d.hq.sync();
    // Terjun has not heard of the approval yet: it attaches the back page, pushes the row (which
    // the hub files under Paya Pasir, where Budi now is) and uploads the file it still may send.
    let back = pdf(20 * 1024);
    let late = d
        .terjun
        .store
        .attach_certificate(
            &admin,
            &training.id,
            &budi,
            "sertifikat-halaman-2.pdf",
            &back,
        )
        .unwrap();
    d.sync_all();
    assert_eq!(d.terjun.store.files_to_upload().unwrap(), 0);

    // Paya Pasir holds both rows and fetches both files.
    let paya_admin = d.paya.admin.clone();
    for (a, bytes) in [(&file, &scan), (&late, &back)] {
        let fetched = pelita_sync::fetch_attachment(
            &mut d.paya.store,
            &paya_admin,
            &a.id,
            &pelita_sync::Options::default(),
        )
        .unwrap();
        assert!(fetched.available);
        assert_eq!(
            &d.paya.store.open_attachment(&paya_admin, &a.id).unwrap().1,
            bytes
        );
    }
}
