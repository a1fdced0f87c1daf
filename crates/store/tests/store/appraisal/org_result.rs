//! The organisation's result (PermenPANRB 6/2022): set and signed by the leader one level up — the
//! Camat for a kelurahan —, never by the kelurahan's own staff; the Lurah's Hasil Kerja rating is
//! the kelurahan's result, and the Lurah is not counted in their kelurahan's distribution; the
//! Penetapan reads back what was signed.

use pelita_core::appraisal::distribution::OrgResult;
use pelita_core::appraisal::{Period, Rating};
use pelita_core::office::{office_id, HQ_CODE};
use pelita_store::{AppraisalStatus, ErrorCode};

use crate::common::appraisal::{form, period, Office, PW};

#[test]
fn the_camat_sets_a_kelurahans_result_with_a_signature_and_nobody_else_does() {
    let mut o = Office::new();
    let terjun = o.lurah().office_id;
    let lurah = o.lurah();
    let as_lurah = o.account("lurah", &lurah);
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_camat = o.account("camat", &camat);
    let admin = o.admin.clone();
    let tw3 = period(Period::TriwulanIII);

    // Not the kelurahan's head, not the Admin Kecamatan: the Camat.
    for who in [&as_lurah, &admin] {
        let err = o
            .store
            .set_org_result(who, &terjun, &tw3, OrgResult::Baik, PW)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::PermissionDenied, "{}", who.username);
        assert!(err.to_string().contains("Camat untuk kelurahan"), "{err}");
    }
    // A signature: the wrong password writes nothing.
    let err = o
        .store
        .set_org_result(
            &as_camat,
            &terjun,
            &tw3,
            OrgResult::Baik,
            "bukan-sandinya-1",
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::LoginFailed);
    let org_rows = |o: &Office| -> i64 {
        o.store
            .connection()
            .query_row("SELECT count(*) FROM org_result", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(org_rows(&o), 0);

    o.store
        .set_org_result(&as_camat, &terjun, &tw3, OrgResult::Baik, PW)
        .unwrap();
    // The row is the Kantor Camat's (so a kelurahan laptop can never push one), and it rates Terjun.
    let (owner, rated): (String, String) = o
        .store
        .connection()
        .query_row(
            "SELECT owner_office_id, office_id FROM org_result",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((owner, rated), (office_id(HQ_CODE), terjun.clone()));
    let p = o.store.penetapan(&as_lurah, &terjun, &tw3).unwrap();
    assert_eq!(p.result, Some(OrgResult::Baik));
    assert_eq!(p.leader_rating, Some(Rating::Sesuai));
    assert_eq!(
        p.signed_by.as_ref().map(|s| s.nip.as_str()),
        Some(camat.nip.as_str())
    );
    assert_eq!(
        p.head.as_ref().map(|h| h.nip.as_str()),
        Some(lurah.nip.as_str())
    );
    assert_eq!(p.period_label, tw3.label());

    // The Kantor Camat's own result comes from the Wali Kota: the Admin Kecamatan records it, and
    // no leader's signature is claimed for it.
    let hq = office_id(HQ_CODE);
    o.store
        .set_org_result(&admin, &hq, &tw3, OrgResult::Istimewa, PW)
        .unwrap();
    let p = o.store.penetapan(&admin, &hq, &tw3).unwrap();
    assert_eq!(p.result, Some(OrgResult::Istimewa));
    assert!(p.signed_by.is_none());
    assert_eq!(p.recorded_by.as_deref(), Some("admin"));
    let err = o
        .store
        .set_org_result(&as_camat, &hq, &tw3, OrgResult::Baik, PW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
}

#[test]
fn the_lurahs_hasil_kerja_is_the_kelurahans_result_and_is_not_in_its_distribution() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let terjun = lurah.office_id.clone();
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_camat = o.account("camat", &camat);
    let tw3 = period(Period::TriwulanIII);
    let sign = |o: &mut Office, hasil: Rating| {
        let draft = match o
            .store
            .appraisal_roster(&as_camat, &tw3)
            .unwrap()
            .into_iter()
            .find(|l| l.employee.id == lurah.id)
            .and_then(|l| l.appraisal_id)
        {
            Some(id) => {
                let a = o.store.appraisal(&as_camat, &id).unwrap();
                o.store
                    .save_appraisal(
                        &as_camat,
                        Some(&id),
                        a.version,
                        &form(&lurah, Period::TriwulanIII, hasil, Rating::Sesuai),
                    )
                    .unwrap()
            }
            None => o
                .store
                .save_appraisal(
                    &as_camat,
                    None,
                    0,
                    &form(&lurah, Period::TriwulanIII, hasil, Rating::Sesuai),
                )
                .unwrap(),
        };
        o.store
            .finalize_appraisal(&as_camat, &draft.id, draft.version, PW)
    };

    // Before the Camat sets Terjun's result, the Lurah's appraisal cannot be signed.
    let err = sign(&mut o, Rating::Sesuai).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("belum ditetapkan Camat"), "{err}");

    o.store
        .set_org_result(&as_camat, &terjun, &tw3, OrgResult::Baik, PW)
        .unwrap();
    // Baik gives Sesuai Ekspektasi: another rating is refused, naming the field.
    let err = sign(&mut o, Rating::DiAtas).unwrap_err();
    assert!(err.to_string().contains("Sesuai Ekspektasi"), "{err}");
    match &err {
        pelita_store::StoreError::Validation(v) => {
            assert_eq!(v.errors[0].field, "hasil_kerja")
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let signed = sign(&mut o, Rating::Sesuai).unwrap();
    assert_eq!(signed.status, AppraisalStatus::Final);

    // Terjun's recap: the Lurah's Final counts as progress, not in the staff's distribution.
    let admin = o.admin.clone();
    let recap = o.store.appraisal_recap(&admin, &tw3).unwrap();
    let r = recap.iter().find(|r| r.office.id == terjun).unwrap();
    assert_eq!(r.finals, 1);
    assert_eq!(
        r.counts.total(),
        0,
        "the Lurah is not in Terjun's distribution"
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(
        !r.may_set_result,
        "the Admin Kecamatan does not set Terjun's result"
    );
    let by_camat = o.store.appraisal_recap(&as_camat, &tw3).unwrap();
    assert!(
        by_camat
            .iter()
            .find(|r| r.office.id == terjun)
            .unwrap()
            .may_set_result
    );

    // The Camat changes the result afterwards: the recap says the Lurah's signed rating no longer
    // follows it, and the amendment is what puts it right.
    o.store
        .set_org_result(&as_camat, &terjun, &tw3, OrgResult::Istimewa, PW)
        .unwrap();
    let recap = o.store.appraisal_recap(&admin, &tw3).unwrap();
    let r = recap.iter().find(|r| r.office.id == terjun).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("koreksi penilaiannya dengan amandemen")),
        "{:?}",
        r.warnings
    );
    let amendment = o.store.amend_appraisal(&as_camat, &signed.id).unwrap();
    let err = o
        .store
        .finalize_appraisal(&as_camat, &amendment.id, amendment.version, PW)
        .unwrap_err();
    assert!(err.to_string().contains("Di Atas Ekspektasi"), "{err}");
    let mut fixed = amendment.document.clone();
    fixed.hasil_kerja = Some(Rating::DiAtas);
    let fixed = o
        .store
        .save_appraisal(&as_camat, Some(&amendment.id), amendment.version, &fixed)
        .unwrap();
    o.store
        .finalize_appraisal(&as_camat, &fixed.id, fixed.version, PW)
        .unwrap();
    let recap = o.store.appraisal_recap(&admin, &tw3).unwrap();
    let r = recap.iter().find(|r| r.office.id == terjun).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn the_demo_history_sets_each_kelurahans_result_before_its_lurah_is_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create(dir.path(), "TERJUN", true, PW);
    let admin = store.refresh_actor(&admin).unwrap();
    let lurahs: Vec<(String, String)> = store
        .connection()
        .prepare(
            "SELECT a.document, a.owner_office_id FROM appraisal a JOIN employee e ON e.id = a.employee_id
             WHERE e.jabatan = 'Lurah' AND a.status = 'Final'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        lurahs.len() >= 5 * 8,
        "every Lurah, every quarter of 2024–2025"
    );
    for (doc, office) in lurahs {
        let doc: pelita_core::appraisal::form::AppraisalInput = serde_json::from_str(&doc).unwrap();
        let p = pelita_store::PeriodRef::from(&doc);
        let set = store.penetapan(&admin, &office, &p).unwrap();
        assert_eq!(
            set.result.map(OrgResult::leader_rating),
            doc.hasil_kerja,
            "{office} {}",
            p.label()
        );
    }
}

/// A Lurah's own account kept on the Kantor Camat's laptop is an account of the Kantor Camat: the
/// Lurah leads nothing there, so they neither set their kelurahan's result nor read the district.
#[test]
fn a_lurahs_account_on_the_kantor_camats_laptop_sets_no_result() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let admin = o.admin.clone();
    o.store
        .add_user(
            &admin,
            &pelita_store::NewUser {
                username: "lurah".into(),
                full_name: lurah.display_name.clone(),
                roles: vec![pelita_core::auth::Role::Pegawai],
                // What the Kantor Camat's user page offers by default: its own office.
                office_code: Some(HQ_CODE.into()),
                employee_nip: Some(lurah.nip.clone()),
                password: PW.into(),
            },
        )
        .unwrap();
    let as_lurah = o.store.login("lurah", PW).unwrap();
    assert_eq!(as_lurah.office_id, office_id(HQ_CODE));
    assert!(!as_lurah.has(pelita_core::auth::Role::Pimpinan));
    let err = o
        .store
        .set_org_result(
            &as_lurah,
            &lurah.office_id,
            &period(Period::TriwulanIII),
            OrgResult::Istimewa,
            PW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
}

/// Before the Camat set results, an office could record its own. Such a row is not a result: it
/// neither lets the Lurah be signed nor prints as a Penetapan.
#[test]
fn a_result_an_office_recorded_for_itself_is_not_a_result() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_camat = o.account("camat", &camat);
    let tw3 = period(Period::TriwulanIII);
    o.store
        .connection()
        .execute(
            "INSERT INTO org_result (id, office_id, year, period, month, result, owner_office_id,
                 version, updated_by, updated_at)
             VALUES ('lama', ?1, 2026, 'Triwulan III', 0, 'Baik', ?1, 1, 'operator', '2026-10-01')",
            [&lurah.office_id],
        )
        .unwrap();
    let p = o
        .store
        .penetapan(&as_camat, &lurah.office_id, &tw3)
        .unwrap();
    assert_eq!(p.result, None);
    let draft = o
        .store
        .save_appraisal(
            &as_camat,
            None,
            0,
            &form(&lurah, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai),
        )
        .unwrap();
    let err = o
        .store
        .finalize_appraisal(&as_camat, &draft.id, draft.version, PW)
        .unwrap_err();
    assert!(err.to_string().contains("belum ditetapkan Camat"), "{err}");
}

/// Importing the Lurah's appraisal as Final is a signature too: a rating against the result is
/// named at its row and column, the file's other problems with it, and nothing is imported.
#[test]
fn an_imported_final_for_the_lurah_follows_the_result_and_is_named_by_row() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_camat = o.account("camat", &camat);
    let tw3 = period(Period::TriwulanIII);
    o.store
        .set_org_result(&as_camat, &lurah.office_id, &tw3, OrgResult::Baik, PW)
        .unwrap();
    let mut table = vec![pelita_core::appraisal::sheet::header_cells()];
    table.extend(pelita_core::appraisal::sheet::appraisal_rows(
        &lurah.nip,
        true,
        &form(&lurah, Period::TriwulanIII, Rating::DiAtas, Rating::Sesuai),
    ));
    let report = o
        .store
        .import_appraisals(&as_camat, &table, pelita_store::Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].row, 2);
    assert!(
        report.errors[0].message.contains("Sesuai Ekspektasi"),
        "{:?}",
        report.errors
    );
    let mut table = vec![pelita_core::appraisal::sheet::header_cells()];
    table.extend(pelita_core::appraisal::sheet::appraisal_rows(
        &lurah.nip,
        true,
        &form(&lurah, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai),
    ));
    let report = o
        .store
        .import_appraisals(&as_camat, &table, pelita_store::Mode::Commit, Some(PW))
        .unwrap();
    assert_eq!(
        (report.imported, report.finals),
        (1, 1),
        "{:?}",
        report.errors
    );
}
