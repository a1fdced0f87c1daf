//! A participation's certificate file (the scan or photo of the sertifikat), kept with the same
//! attachment mechanism as bukti dukung: added by the office's training managers or by the
//! participant, listed with the participant, opened byte for byte.

use pelita_core::auth::{Actor, Role};
use pelita_core::training::TrainingStatus;
use pelita_store::{EmployeeRow, ErrorCode, NewUser, ParticipationState};

use crate::common::training::{training, world, World, PW};

fn account(w: &mut World, username: &str, e: &EmployeeRow) -> Actor {
    let admin = w.admin.clone();
    w.store
        .add_user(
            &admin,
            &NewUser {
                username: username.into(),
                full_name: e.display_name.clone(),
                roles: vec![Role::Pegawai],
                office_code: None,
                employee_nip: Some(e.nip.clone()),
                password: PW.into(),
            },
        )
        .unwrap();
    w.store.login(username, PW).unwrap()
}

/// A phone photo of a certificate: a PNG's signature, then bytes.
fn png(len: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((0..len).map(|i| (i % 199) as u8));
    bytes
}

#[test]
fn a_certificate_file_is_attached_by_the_office_or_the_participant() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training("2026-11-10", "2026-11-10", &["2026-11-10"], 1),
        )
        .unwrap();
    // Three staff who lead nobody (so none is another's atasan, nor the office's head).
    let leads = |e: &EmployeeRow| {
        w.terjun
            .iter()
            .any(|x| x.atasan_id.as_deref() == Some(e.id.as_str()))
    };
    let staff: Vec<EmployeeRow> = w
        .terjun
        .iter()
        .filter(|e| !leads(e))
        .take(3)
        .cloned()
        .collect();
    let (first, second, colleague) = (staff[0].clone(), staff[1].clone(), staff[2].clone());
    w.store.enrol(&admin, &t.id, &first.id).unwrap();
    let waiting = w.store.enrol(&admin, &t.id, &second.id).unwrap();
    assert_eq!(waiting.state, ParticipationState::DaftarTunggu);

    // Not before the training is over.
    let early = w
        .store
        .attach_certificate(&admin, &t.id, &first.id, "sertifikat.png", &png(10))
        .unwrap_err();
    assert!(
        early.to_string().contains("setelah pelatihan selesai"),
        "{early}"
    );
    let t = w.store.training(&admin, &t.id).unwrap();
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    // The operator attaches the scan; the participant adds the back page themself.
    let scan = png(70 * 1024);
    let by_office = w
        .store
        .attach_certificate(&admin, &t.id, &first.id, "sertifikat.png", &scan)
        .unwrap();
    let participant = account(&mut w, "peserta", &first);
    w.store
        .attach_certificate(&participant, &t.id, &first.id, "halaman-2.png", &png(10))
        .unwrap();
    let listed = w.store.participants(&admin, &t.id).unwrap();
    let files: Vec<&str> = listed
        .iter()
        .find(|p| p.employee_id == first.id)
        .unwrap()
        .certificate_files
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(files, ["sertifikat.png", "halaman-2.png"]);
    let (_, bytes) = w
        .store
        .open_attachment(&participant, &by_office.id)
        .unwrap();
    assert_eq!(bytes, scan);

    // A colleague neither attaches nor opens it; someone still waiting has no certificate.
    let other = account(&mut w, "rekan", &colleague);
    let err = w
        .store
        .attach_certificate(&other, &t.id, &first.id, "palsu.png", &png(10))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    let err = w.store.open_attachment(&other, &by_office.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    let err = w
        .store
        .attach_certificate(&admin, &t.id, &second.id, "s.png", &png(10))
        .unwrap_err();
    assert!(err.to_string().contains("Daftar Tunggu"), "{err}");
    let err = w
        .store
        .remove_certificate(&other, &by_office.id, by_office.version)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    // Three files at most per participation.
    w.store
        .attach_certificate(&admin, &t.id, &first.id, "transkrip.png", &png(10))
        .unwrap();
    let err = w
        .store
        .attach_certificate(&admin, &t.id, &first.id, "lagi.png", &png(10))
        .unwrap_err();
    assert!(err.to_string().contains("paling banyak 3"), "{err}");
    // The participant takes one off; the file leaves the database with it.
    w.store
        .remove_certificate(&participant, &by_office.id, by_office.version)
        .unwrap();
    let err = w.store.open_attachment(&admin, &by_office.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}
