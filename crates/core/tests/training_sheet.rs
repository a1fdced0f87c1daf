//! The training spreadsheets read as an operator fills them in: sessions, participants and
//! attendance, every problem named by row and column.

use pelita_core::training::sheet::*;
use pelita_core::training::*;

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn catalogue_header() -> Vec<String> {
    headers(&CATALOGUE_COLUMNS)
}

#[test]
fn times_in_the_forms_people_type_and_excel_stores() {
    assert_eq!(parse_time("8:00").as_deref(), Some("08:00"));
    assert_eq!(parse_time("13.30").as_deref(), Some("13:30"));
    assert_eq!(parse_time("0.5").as_deref(), Some("12:00"));
    assert_eq!(parse_time("0.3333333333").as_deref(), Some("08:00"));
    assert_eq!(parse_time("25:00"), None);
    assert_eq!(parse_time("pagi"), None);
}

#[test]
fn reasons_by_full_label_or_first_part() {
    assert_eq!(
        parse_reason("Tugas kantor"),
        Some(AbsenceReason::TugasKantor)
    );
    assert_eq!(
        parse_reason("tugas kantor / beban kerja"),
        Some(AbsenceReason::TugasKantor)
    );
    assert_eq!(parse_reason("beban"), None);
}

#[test]
fn rows_of_one_training_form_one_training_and_an_export_reads_back() {
    let t = TrainingInput {
        title: "Bimtek SIAK".into(),
        theme: "Administrasi Kependudukan".into(),
        route: Route::BimbinganTeknis,
        // Not the method the route implies: the export carries it and reads it back.
        method: Method::BerbasisProyek,
        organiser: "Disdukcapil".into(),
        owner_office_id: String::new(),
        location: "Aula".into(),
        start_date: "2027-12-28".into(),
        end_date: "2028-01-03".into(),
        sessions: vec![
            SessionInput {
                date: "2027-12-28".into(),
                start_time: "08:00".into(),
                end_time: "12:00".into(),
            },
            SessionInput {
                date: "2028-01-03".into(),
                start_time: "08:00".into(),
                end_time: "11:00".into(),
            },
        ],
        jp: 9,
        capacity: 30,
        certificate: true,
        completion_share: 100,
        objectives: Vec::new(),
    };
    let mut rows = vec![catalogue_header()];
    rows.extend(catalogue_rows("KEL-RL", &t));
    let (parsed, errors) = parse_catalogue(&rows);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].owner_code, "KEL-RL");
    assert_eq!(parsed[0].input, t);
}

#[test]
fn disagreeing_training_cells_and_bad_values_are_reported_by_row_and_column() {
    let h = catalogue_header();
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    let rows = table(&[
        &h,
        &[
            "Bimtek",
            "Pelayanan Publik",
            "Bimbingan Teknis",
            "",
            "kel-rl",
            "",
            "2027-03-01",
            "2027-03-02",
            "8",
            "20",
            "Ya",
            "",
            "",
            "2027-03-01",
            "08:00",
            "12:00",
        ],
        &[
            "Bimtek",
            "Pelayanan Publik",
            "Bimbingan Teknis",
            "",
            "KEL-RL",
            "",
            "2027-03-01",
            "2027-03-02",
            "8",
            "20",
            "Ya",
            "",
            "",
            "2027-03-05",
            "08:00",
            "12:00",
        ],
        &[
            "Rapat",
            "Pelayanan Publik",
            "Jalan-jalan",
            "",
            "KEL-RL",
            "",
            "2027-03-01",
            "2027-03-01",
            "x",
            "20",
            "mungkin",
            "",
            "",
            "2027-03-01",
            "pagi",
            "12:00",
        ],
        &[
            "Rapat",
            "Pelayanan Publik",
            "Jalan-jalan",
            "",
            "KEL-RL",
            "",
            "2027-03-01",
            "2027-03-01",
            "7",
            "20",
            "mungkin",
            "",
            "",
            "2027-03-01",
            "13:00",
            "15:00",
        ],
    ]);
    let (_, errors) = parse_catalogue(&rows);
    let at = |row: u32, column: &str| errors.iter().any(|e| e.row == row && e.column == column);
    assert!(at(5, "JP"), "{errors:?}");
    assert!(!at(5, "Jalur"), "a training's bad cell is reported once");
    assert!(at(4, "Jalur"));
    assert!(at(4, "JP"));
    assert!(at(4, "Sertifikat"));
    assert!(at(4, "Jam Mulai"));
    // The second session of "Bimtek" lies outside its dates: reported at its own row.
    assert!(at(3, "Tanggal Sesi"), "{errors:?}");
}

#[test]
fn attendance_rows_need_a_known_status_and_reason_and_are_not_repeated() {
    let h = headers(&ATTENDANCE_COLUMNS);
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    let nip = "198503122010011002";
    let rows = table(&[
        &h,
        &[
            "Bimtek",
            "2027-03-01",
            "",
            "1",
            "",
            nip,
            "",
            "Izin",
            "tugas kantor",
            "",
        ],
        &[
            "Bimtek",
            "2027-03-01",
            "",
            "1",
            "",
            nip,
            "",
            "Hadir",
            "",
            "",
        ],
        &[
            "Bimtek",
            "2027-03-01",
            "",
            "0",
            "",
            nip,
            "",
            "Datang",
            "capek",
            "",
        ],
    ]);
    let (marks, errors) = parse_attendance(&rows);
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].reason, Some(AbsenceReason::TugasKantor));
    let at = |row: u32, column: &str| errors.iter().any(|e| e.row == row && e.column == column);
    assert!(at(3, NIP));
    assert!(at(4, SESSION));
    assert!(at(4, "Status"));
    assert!(at(4, "Alasan"));
}

#[test]
fn a_participant_named_twice_is_reported_once_at_the_second_row() {
    let h = headers(&PARTICIPANT_COLUMNS);
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    let nip = "198503122010011002";
    let rows = table(&[
        &h,
        &["Bimtek", "01-03-2027", "kel-rl", nip, ""],
        &["Bimtek", "2027-03-01", "KEL-RL", nip, ""],
        &["", "2027-13-01", "", "123", ""],
    ]);
    let (parts, errors) = parse_participants(&rows);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].training.owner_code.as_deref(), Some("KEL-RL"));
    assert_eq!(parts[0].training.start_date, "2027-03-01");
    let rows_with: Vec<(u32, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(rows_with, vec![(3, NIP), (4, TITLE), (4, START), (4, NIP)]);
}

/// The method column: empty takes the method the route implies; an unknown one is named; the
/// legacy project route is refused with what to write instead; a file without the column (from an
/// earlier version) still reads.
#[test]
fn the_method_column_and_the_legacy_project_route() {
    let h = catalogue_header();
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    let row = |route: &'static str, method: &'static str| -> Vec<&'static str> {
        vec![
            "Bimtek",
            "Pelayanan Publik",
            route,
            "",
            "KEL-RL",
            "",
            "2027-03-01",
            "2027-03-01",
            "8",
            "20",
            "Ya",
            "",
            method,
            "2027-03-01",
            "08:00",
            "12:00",
        ]
    };
    let (ok, errors) = parse_catalogue(&table(&[&h, &row("E-learning", "")]));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ok[0].input.method, Method::ELearning);

    let (_, errors) = parse_catalogue(&table(&[&h, &row("Kursus", "Daring")]));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_str()), (2, "Metode"));
    assert!(errors[0].message.contains("metode 'Daring' tidak dikenal"));

    let (_, errors) = parse_catalogue(&table(&[&h, &row("Pelatihan Berbasis Proyek", "")]));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].column, "Jalur");
    assert!(
        errors[0]
            .message
            .contains("bukan jalur Peraturan LAN 10/2018")
            && errors[0].message.contains("Berbasis proyek"),
        "{}",
        errors[0].message
    );

    // An earlier version's file: no Metode column.
    let old: Vec<&str> = h.iter().copied().filter(|c| *c != "Metode").collect();
    let mut cells = row("Seminar/Konferensi/Sarasehan", "");
    cells.remove(12);
    let (ok, errors) = parse_catalogue(&table(&[&old, &cells]));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ok[0].input.method, Method::Seminar);
}
