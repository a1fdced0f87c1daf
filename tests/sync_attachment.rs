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
use support::transfer::{day, person, register, ANI};
use support::{Hub, Laptop, PW};

const CAMAT: &str = "197001011994011001";

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
    register(hq, ANI, "Ani Lubis", "Sekretaris Camat", Some(&camat_id));
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
                realisasi: 93.5,
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
    let mut attempts = 0;
    loop {
        attempts += 1;
        match pelita_sync::fetch_attachment(
            &mut other.store,
            &camat2,
            &added.id,
            &pelita_sync::Options::default(),
        ) {
            Ok(a) => {
                assert!(a.available);
                break;
            }
            Err(e) if !e.is_permanent() && attempts < 10 => {}
            Err(e) => panic!("after {attempts} attempts: {e}"),
        }
    }
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

/// The hub takes a file only from the office whose attachment row names it, checks it whole
/// against its hash, and gives it only to a device that reads that row: Terjun, which does not
/// read the Kantor Camat's realisasi, gets neither its state nor its chunks.
#[test]
fn the_hub_gives_a_file_only_to_whom_its_row_allows() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, mut terjun, _paya, mut hq) = support::district(dir.path());
    hq.store.pin_today(day("2026-04-06")).unwrap();
    let (camat, realisasi) = camat_realisasi(&mut hq);
    let file = pdf(40 * 1024);
    let added = hq
        .store
        .attach_evidence(&camat, &realisasi, "foto-kegiatan.pdf", &file)
        .unwrap();
    // The rows go, not yet the file: Terjun asks for it with its own token.
    pelita_sync::run(&mut hq.store, &pelita_sync::Options::default()).unwrap();
    let (token, database) = support::token_of(&terjun);
    let query = pelita_proto::encode(&pelita_proto::BlobQuery {
        sha256: added.sha256.clone(),
    });
    let (status, _) = support::raw(
        &hub,
        pelita_proto::BLOB_STATE_PATH,
        &token,
        &database,
        query.clone(),
    );
    assert_eq!(
        status, 403,
        "Terjun does not read the Kantor Camat's realisasi"
    );
    let chunk = ureq::get(&format!(
        "{}{}",
        hub.url,
        pelita_proto::blob_chunk_path(&added.sha256, 0)
    ))
    .set(
        pelita_proto::PROTOCOL_HEADER,
        &pelita_proto::PROTOCOL_VERSION.to_string(),
    )
    .set(pelita_proto::DATABASE_HEADER, &database)
    .set("authorization", &format!("Bearer {token}"))
    .call();
    assert!(matches!(chunk, Err(ureq::Error::Status(403, _))));
    // Nor may Terjun send the file in the Kantor Camat's place.
    let put = ureq::put(&format!(
        "{}{}",
        hub.url,
        pelita_proto::blob_chunk_path(&added.sha256, 0)
    ))
    .set(
        pelita_proto::PROTOCOL_HEADER,
        &pelita_proto::PROTOCOL_VERSION.to_string(),
    )
    .set(pelita_proto::DATABASE_HEADER, &database)
    .set("authorization", &format!("Bearer {token}"))
    .send_bytes(&file[..32 * 1024]);
    assert!(matches!(put, Err(ureq::Error::Status(403, _))));
    // The Kantor Camat's own laptop uploaded it whole in that run; Terjun syncs and still holds
    // no row naming it.
    assert_eq!(hq.store.files_to_upload().unwrap(), 0);
    terjun.sync();
    let err = terjun
        .store
        .attachment(&terjun.admin.clone(), &added.id)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
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
    let mut attempts = 0;
    loop {
        attempts += 1;
        match pelita_sync::run(&mut hq.store, &pelita_sync::Options::default()) {
            Ok(_) => break,
            Err(e) if !e.is_permanent() && attempts < 20 => {}
            Err(e) => panic!("after {attempts} attempts: {e}"),
        }
    }
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
/// Budi moves to Paya Pasir, whose laptop then holds the attachment row and fetches the file; Terjun
/// no longer may.
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
    d.sync_all();

    let paya_admin = d.paya.admin.clone();
    let fetched = pelita_sync::fetch_attachment(
        &mut d.paya.store,
        &paya_admin,
        &file.id,
        &pelita_sync::Options::default(),
    )
    .unwrap();
    assert!(fetched.available);
    assert_eq!(
        d.paya
            .store
            .open_attachment(&paya_admin, &file.id)
            .unwrap()
            .1,
        scan
    );
    // Terjun keeps its copy of the history it wrote, but the hub gives the file only to the
    // office the row belongs to now.
    let (token, database) = support::token_of(&d.terjun);
    let (status, _) = support::raw(
        &d._hub,
        pelita_proto::BLOB_STATE_PATH,
        &token,
        &database,
        pelita_proto::encode(&pelita_proto::BlobQuery {
            sha256: file.sha256.clone(),
        }),
    );
    assert_eq!(status, 403);
}
