//! Appraisal files: an export re-imports unchanged into another database; an import is
//! all-or-nothing with row and column errors; a Final row stays Final only for its own penilai;
//! no file can change an appraisal that exists, Final or not.

use pelita_core::appraisal::sheet::header_cells;
use pelita_core::appraisal::{Period, Rating};
use pelita_store::AppraisalStatus;
use pelita_store::Mode;

use crate::common::appraisal::{form, period, Office, PW};

/// The Lurah of Terjun signs appraisals for two of their reports and exports them.
fn signed_export(o: &mut Office) -> (pelita_core::auth::Actor, Vec<Vec<String>>) {
    let lurah = o.lurah();
    let as_lurah = o.account("lurah", &lurah);
    for e in o.reports_of(&lurah.id).iter().take(2) {
        let a = o
            .store
            .save_appraisal(
                &as_lurah,
                None,
                0,
                &form(e, Period::TriwulanIII, Rating::DiAtas, Rating::Sesuai),
            )
            .unwrap();
        o.store
            .finalize_appraisal(&as_lurah, &a.id, a.version, PW)
            .unwrap();
    }
    let table = o
        .store
        .export_appraisals(&as_lurah, Some(&period(Period::TriwulanIII)))
        .unwrap();
    (as_lurah, table)
}

#[test]
fn an_export_reimports_unchanged_and_stays_final_for_its_penilai() {
    let mut source = Office::new();
    let (_, table) = signed_export(&mut source);
    assert_eq!(table[0], header_cells());
    assert_eq!(
        table.len(),
        1 + 2 * 2,
        "two appraisals of two RHK rows each"
    );
    let last = source.store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(last.action, "export");

    let mut target = Office::new();
    let lurah = target.lurah();
    let as_lurah = target.account("lurah", &lurah);
    let preview = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Preview, Some(PW))
        .unwrap();
    assert_eq!(
        (preview.appraisals_in_file, preview.imported, preview.finals),
        (2, 0, 2)
    );
    assert!(
        target
            .store
            .export_appraisals(&as_lurah, None)
            .unwrap()
            .len()
            == 1,
        "a preview writes nothing"
    );
    let report = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.errors, vec![]);
    assert_eq!((report.imported, report.finals), (2, 2));
    let again = target
        .store
        .export_appraisals(&as_lurah, Some(&period(Period::TriwulanIII)))
        .unwrap();
    assert_eq!(again, table);
    let tw3 = target
        .store
        .appraisal_roster(&as_lurah, &period(Period::TriwulanIII))
        .unwrap();
    assert_eq!(
        tw3.iter()
            .filter(|l| l.status == Some(AppraisalStatus::Final))
            .count(),
        2
    );

    // The same file again: both appraisals exist (Final) — nothing in a file overwrites them.
    let err = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(err.imported, 0);
    assert_eq!(err.errors.len(), 2);
    assert!(
        err.errors[0]
            .message
            .contains("sudah mempunyai penilaian Final"),
        "{}",
        err.errors[0].message
    );
    assert_eq!(
        (err.errors[0].row, err.errors[0].column.as_str()),
        (2, "Periode")
    );
}

#[test]
fn an_admin_imports_drafts_for_the_penilai_and_others_are_refused() {
    let mut source = Office::new();
    let (_, table) = signed_export(&mut source);

    let mut target = Office::new();
    let admin = target.admin.clone();
    let report = target
        .store
        .import_appraisals(&admin, &table, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.errors, vec![]);
    assert_eq!(
        (report.imported, report.finals, report.finals_as_drafts),
        (2, 0, 2)
    );
    let lurah = target.lurah();
    let as_lurah = target.account("lurah", &lurah);
    let lines = target
        .store
        .appraisal_roster(&as_lurah, &period(Period::TriwulanIII))
        .unwrap();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.status == Some(AppraisalStatus::Draft))
            .count(),
        2,
        "the penilai signs them"
    );

    // The Camat is not the staff's penilai: every row is refused, nothing written.
    let mut third = Office::new();
    let camat = third.find(|e| e.jabatan == "Camat");
    let as_camat = third.account("camat", &camat);
    let report = third
        .store
        .import_appraisals(&as_camat, &table, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.imported, 0);
    assert!(report
        .errors
        .iter()
        .all(|e| e.message.starts_with("Anda bukan atasan langsung")));
    assert!(
        third
            .store
            .export_appraisals(&third.admin.clone(), None)
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn one_bad_row_imports_nothing_and_is_named() {
    let mut source = Office::new();
    let (_, mut table) = signed_export(&mut source);
    // Row 4 (second appraisal, first item): a realisasi that is not a number.
    let realisasi = table[0].iter().position(|h| h == "Realisasi").unwrap();
    table[3][realisasi] = "banyak".into();
    let mut target = Office::new();
    let lurah = target.lurah();
    let as_lurah = target.account("lurah", &lurah);
    let report = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        (report.errors[0].row, report.errors[0].column.as_str()),
        (4, "Realisasi")
    );
    let nothing = target.store.export_appraisals(&as_lurah, None).unwrap();
    assert_eq!(nothing.len(), 1);

    // A Final row that is incomplete cannot be signed by import either.
    let mut incomplete = table.clone();
    incomplete[3][realisasi] = String::new();
    incomplete[4][realisasi] = String::new();
    let report = target
        .store
        .import_appraisals(&as_lurah, &incomplete, Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.imported, 0);
    assert!(report.errors.iter().any(|e| e.row == 4
        && e.column == "Realisasi"
        && e.message.contains("wajib diisi sebelum final")));
}

#[test]
fn importing_final_appraisals_is_a_signature_and_needs_the_password() {
    let mut source = Office::new();
    let (_, table) = signed_export(&mut source);
    let mut target = Office::new();
    let lurah = target.lurah();
    let as_lurah = target.account("lurah", &lurah);
    let err = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Commit, None)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("2 penilaian Final akan ditandatangani"),
        "{err}"
    );
    let err = target
        .store
        .import_appraisals(&as_lurah, &table, Mode::Commit, Some("Bukan-Sandinya-9"))
        .unwrap_err();
    assert_eq!(err.code().to_string(), "login_failed");
    assert_eq!(
        target
            .store
            .export_appraisals(&as_lurah, None)
            .unwrap()
            .len(),
        1,
        "nothing written"
    );
}
