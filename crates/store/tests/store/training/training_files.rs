//! Training files on a real database: the catalogue, participants and attendance imports are
//! all-or-nothing, report row and column, obey the same rules as the app, and an export imports
//! back unchanged.

use pelita_core::auth::Role;
use pelita_core::columns::RowError;
use pelita_core::training::sheet::{headers, ATTENDANCE_COLUMNS, PARTICIPANT_COLUMNS};
use pelita_core::training::{AbsenceReason, AttendanceStatus};
use pelita_store::Mode;
use pelita_store::{NewUser, ParticipationState, TrainingQuery, TrainingSheetKind};

use crate::common::training::{training, world, World, PW};

fn at(errors: &[RowError], row: u32, column: &str) -> bool {
    errors.iter().any(|e| e.row == row && e.column == column)
}

fn trainings(w: &mut World) -> Vec<pelita_store::Training> {
    let admin = w.admin.clone();
    w.store
        .list_trainings(&admin, &TrainingQuery::default())
        .unwrap()
}

fn participants_file(title: &str, start: &str, nips: &[&str]) -> Vec<Vec<String>> {
    let mut t = vec![headers(&PARTICIPANT_COLUMNS)];
    for nip in nips {
        t.push(vec![
            title.into(),
            start.into(),
            String::new(),
            (*nip).into(),
            String::new(),
        ]);
    }
    t
}

#[test]
fn a_catalogue_export_imports_into_another_database_unchanged_and_not_twice() {
    let mut w = world();
    let admin = w.admin.clone();
    let mut two = training(
        "2026-12-28",
        "2027-01-03",
        &["2026-12-28", "2027-01-03"],
        30,
    );
    two.title = "Bimtek SIAK".into();
    w.store.create_training(&admin, &two).unwrap();
    w.store
        .create_training(
            &admin,
            &training("2027-03-01", "2027-03-01", &["2027-03-01"], 5),
        )
        .unwrap();
    let file = w
        .store
        .export_training_catalogue(&admin, &TrainingQuery::default())
        .unwrap();
    assert_eq!(file.len(), 1 + 3, "one row per session");

    let mut other = world();
    let other_admin = other.admin.clone();
    let before = trainings(&mut other).len();
    let preview = other
        .store
        .import_trainings(
            &other_admin,
            TrainingSheetKind::Catalogue,
            &file,
            Mode::Preview,
        )
        .unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!((preview.records_in_file, preview.imported), (2, 2));
    assert_eq!(
        trainings(&mut other).len(),
        before,
        "a preview writes nothing"
    );

    let report = other
        .store
        .import_trainings(
            &other_admin,
            TrainingSheetKind::Catalogue,
            &file,
            Mode::Commit,
        )
        .unwrap();
    assert_eq!(report.imported, 2);
    let mut mine: Vec<_> = trainings(&mut w).into_iter().map(|t| t.input).collect();
    let mut theirs: Vec<_> = trainings(&mut other).into_iter().map(|t| t.input).collect();
    mine.sort_by(|a, b| a.title.cmp(&b.title));
    theirs.sort_by(|a, b| a.title.cmp(&b.title));
    assert_eq!(mine, theirs);

    // The same file again: every training already exists; nothing is written.
    let again = other
        .store
        .import_trainings(
            &other_admin,
            TrainingSheetKind::Catalogue,
            &file,
            Mode::Commit,
        )
        .unwrap();
    assert_eq!(again.imported, 0);
    assert_eq!(again.errors.len(), 2, "{:?}", again.errors);
    assert!(again
        .errors
        .iter()
        .all(|e| e.column == "Judul Pelatihan" && e.message.contains("sudah ada")));
    assert_eq!(trainings(&mut other).len(), before + 2);
}

#[test]
fn one_bad_row_keeps_the_whole_catalogue_out() {
    let mut w = world();
    let admin = w.admin.clone();
    let mut file = w
        .store
        .export_training_catalogue(&admin, &TrainingQuery::default())
        .unwrap();
    let good = pelita_core::training::sheet::catalogue_rows(
        "TERJUN",
        &training("2027-03-01", "2027-03-02", &["2027-03-01", "2027-03-02"], 5),
    );
    let mut unknown_office = good[0].clone();
    unknown_office[0] = "Rapat Koordinasi".into();
    unknown_office[4] = "KEL-ANTAH".into();
    file.extend(good);
    file.push(unknown_office);
    let before = trainings(&mut w).len();
    let report = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Catalogue, &file, Mode::Commit)
        .unwrap();
    assert_eq!(report.records_in_file, 2);
    assert_eq!(report.imported, 0);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(at(&report.errors, 4, "Kode Kantor Pemilik"));
    assert!(report.errors[0].message.contains("KEL-ANTAH"));
    assert_eq!(
        trainings(&mut w).len(),
        before,
        "the good training was rolled back"
    );
}

#[test]
fn participants_fill_capacity_then_wait_and_another_office_is_refused_per_row() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training("2027-03-01", "2027-03-01", &["2027-03-01"], 2),
        )
        .unwrap();
    let nips: Vec<String> = w.terjun[..3].iter().map(|e| e.nip.clone()).collect();
    let nip_refs: Vec<&str> = nips.iter().map(String::as_str).collect();

    // An unknown NIP in the file: nobody is enrolled.
    let mut with_stranger = nip_refs.clone();
    with_stranger.push("199001012020121001");
    let file = participants_file("pelayanan prima", "01-03-2027", &with_stranger);
    let report = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Participants, &file, Mode::Commit)
        .unwrap();
    assert!(at(&report.errors, 5, "NIP"), "{:?}", report.errors);
    assert_eq!(report.imported, 0);
    assert!(w.store.participants(&admin, &t.id).unwrap().is_empty());

    // An operator of another office may not enrol Terjun's staff: each row says so.
    w.store
        .add_user(
            &admin,
            &NewUser {
                username: "operator".into(),
                full_name: "Operator Paya Pasir".into(),
                roles: vec![Role::Operator],
                office_code: Some("PAYA-PASIR".into()),
                employee_nip: None,
                password: PW.into(),
            },
        )
        .unwrap();
    let operator = w.store.login("operator", PW).unwrap();
    let file = participants_file("Pelayanan Prima", "2027-03-01", &nip_refs);
    let refused = w
        .store
        .import_trainings(
            &operator,
            TrainingSheetKind::Participants,
            &file,
            Mode::Commit,
        )
        .unwrap();
    assert_eq!(refused.errors.len(), 3, "{:?}", refused.errors);
    assert!((2..=4).all(|row| at(&refused.errors, row, "NIP")));

    let report = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Participants, &file, Mode::Commit)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.imported, report.waiting), (3, 1));
    let states: Vec<_> = w
        .store
        .participants(&admin, &t.id)
        .unwrap()
        .into_iter()
        .map(|p| (p.nip, p.state))
        .collect();
    assert!(
        states.contains(&(nips[2].clone(), ParticipationState::DaftarTunggu)),
        "{states:?}"
    );
}

#[test]
fn an_attendance_sheet_filled_in_records_once_and_needs_reasons() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training(
                "2027-03-01",
                "2027-03-02",
                &["2027-03-01", "2027-03-02"],
                30,
            ),
        )
        .unwrap();
    for e in &w.terjun[..3] {
        w.store.enrol(&admin, &t.id, &e.id).unwrap();
    }
    let mut sheet = w.store.export_attendance_sheet(&admin, &t.id).unwrap();
    assert_eq!(sheet.len(), 1 + 2 * 3, "a row per participant and session");
    let (status, reason) = (7, 8);
    for row in sheet.iter_mut().skip(1) {
        row[status] = "Hadir".into();
    }
    // Row 2 (first participant, session 1): Izin without a reason yet.
    sheet[1][status] = "Izin".into();
    let blank = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Attendance, &sheet, Mode::Commit)
        .unwrap();
    assert_eq!(blank.imported, 0);
    assert!(at(&blank.errors, 2, "Alasan"), "{:?}", blank.errors);
    assert!(w
        .store
        .session_attendance(&admin, &t.session_ids[1])
        .unwrap()
        .iter()
        .all(|r| r.status.is_none()));

    sheet[1][reason] = "Tugas kantor".into();
    let report = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Attendance, &sheet, Mode::Commit)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.imported, report.unchanged), (6, 0));
    let first = &w
        .store
        .session_attendance(&admin, &t.session_ids[0])
        .unwrap();
    let izin = first.iter().find(|r| r.nip == sheet[1][5]).unwrap();
    assert_eq!(
        (izin.status, izin.reason),
        (
            Some(AttendanceStatus::Izin),
            Some(AbsenceReason::TugasKantor)
        )
    );

    // The same file twice: still one row each, nothing changed.
    let again = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Attendance, &sheet, Mode::Commit)
        .unwrap();
    assert_eq!((again.imported, again.unchanged), (0, 6));
    sheet[1][reason] = AbsenceReason::TugasKantor.label().into();
    assert_eq!(
        w.store.export_attendance_sheet(&admin, &t.id).unwrap(),
        sheet
    );

    // Someone not enrolled, and a session the training does not have.
    let outsider = w.terjun[5].nip.clone();
    let mut bad = vec![
        headers(&ATTENDANCE_COLUMNS),
        sheet[1].clone(),
        sheet[2].clone(),
    ];
    bad[1][5] = outsider;
    bad[2][3] = "3".into();
    let report = w
        .store
        .import_trainings(&admin, TrainingSheetKind::Attendance, &bad, Mode::Preview)
        .unwrap();
    assert!(at(&report.errors, 2, "NIP"), "{:?}", report.errors);
    assert!(at(&report.errors, 3, "Sesi Ke"));
}
