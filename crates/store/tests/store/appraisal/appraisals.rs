//! Performance appraisals on a real database: who may appraise whom and when, drafts, signing,
//! immutability of a Final appraisal through every path, and the amendment chain.

use pelita_core::appraisal::distribution::OrgResult;
use pelita_core::appraisal::{Period, Predicate, Rating};
use pelita_core::auth::{Actor, Role};
use pelita_core::employee::{Deactivation, EmployeeInput};
use pelita_core::reference::InactiveReason;
use pelita_store::{AppraisalStatus, NewUser};

use crate::common::appraisal::{day, form, period, Office, PW};

#[test]
fn a_penilai_sees_exactly_their_direct_reports() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let camat = o.find(|e| e.jabatan == "Camat");
    let now = o.store.current_period();
    assert_eq!(now, period(Period::TriwulanIVAkhir));

    let as_lurah = o.account("lurah", &lurah);
    let roster = |o: &mut Office, a: &Actor| -> Vec<String> {
        let mut v: Vec<String> = o
            .store
            .appraisal_roster(a, &now)
            .unwrap()
            .into_iter()
            .map(|l| l.employee.nip)
            .collect();
        v.sort();
        v
    };
    let mut expected: Vec<String> = o.reports_of(&lurah.id).into_iter().map(|e| e.nip).collect();
    expected.sort();
    assert!(expected.len() >= 2);
    assert_eq!(roster(&mut o, &as_lurah), expected);

    // The Camat appraises the Lurah, not the Lurah's staff.
    let as_camat = o.account("camat", &camat);
    let camat_roster = roster(&mut o, &as_camat);
    assert!(camat_roster.contains(&lurah.nip));
    assert!(expected.iter().all(|nip| !camat_roster.contains(nip)));

    // Staff without reports are no penilai; an admin without an employee record appraises nobody.
    let staff = o
        .reports_of(&lurah.id)
        .into_iter()
        .find(|e| o.reports_of(&e.id).is_empty())
        .unwrap();
    let as_staff = o.account("staf", &staff);
    let err = o.store.appraisal_roster(&as_staff, &now).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Anda tidak berhak menilai kinerja pegawai (hanya atasan langsung)"
    );
    let admin = o.admin.clone();
    assert!(o.store.appraisal_roster(&admin, &now).unwrap().is_empty());

    // A report who leaves (mutasi) leaves the roster.
    let change = Deactivation {
        reason: InactiveReason::Mutasi,
        note: String::new(),
    };
    o.store
        .deactivate_employee(&admin, &staff.id, staff.version, &change)
        .unwrap();
    assert_eq!(roster(&mut o, &as_lurah).len(), expected.len() - 1);
    // Someone who left with an appraisal under way stays until it is finished.
    let colleague = o
        .reports_of(&lurah.id)
        .into_iter()
        .find(|e| e.id != staff.id && o.reports_of(&e.id).is_empty())
        .unwrap();
    o.store
        .save_appraisal(
            &as_lurah,
            None,
            0,
            &form(
                &colleague,
                Period::TriwulanIVAkhir,
                Rating::Sesuai,
                Rating::Sesuai,
            ),
        )
        .unwrap();
    let current = o
        .store
        .list_employees(&admin, &pelita_store::EmployeeQuery::default())
        .unwrap();
    let version = current
        .iter()
        .find(|e| e.id == colleague.id)
        .unwrap()
        .version;
    o.store
        .deactivate_employee(&admin, &colleague.id, version, &change)
        .unwrap();
    assert!(roster(&mut o, &as_lurah).contains(&colleague.nip));
}

#[test]
fn drafts_are_signed_with_the_password_and_then_cannot_change_anywhere() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let staff = o.reports_of(&lurah.id).remove(0);
    let as_lurah = o.account("lurah", &lurah);
    let tw3 = period(Period::TriwulanIII);

    let mut input = form(&staff, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai);
    input.hasil_kerja = None;
    let draft = o.store.save_appraisal(&as_lurah, None, 0, &input).unwrap();
    assert_eq!(
        (draft.status, draft.predicate),
        (AppraisalStatus::Draft, None)
    );
    let err = o
        .store
        .save_appraisal(&as_lurah, None, 0, &input)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("sudah memiliki penilaian untuk Triwulan III 2026"),
        "{err}"
    );
    // An incomplete draft cannot be signed.
    let err = o
        .store
        .finalize_appraisal(&as_lurah, &draft.id, draft.version, PW)
        .unwrap_err();
    assert_eq!(err.code().to_string(), "validation");

    input.hasil_kerja = Some(Rating::DiAtas);
    input.perilaku_kerja = Some(Rating::DiAtas);
    let draft = o
        .store
        .save_appraisal(&as_lurah, Some(&draft.id), draft.version, &input)
        .unwrap();
    assert_eq!(draft.predicate, Some(Predicate::SangatBaik));
    assert_eq!(draft.version, 2);
    assert_eq!(
        o.store
            .save_appraisal(&as_lurah, Some(&draft.id), 1, &input)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::VersionConflict
    );

    let err = o
        .store
        .finalize_appraisal(&as_lurah, &draft.id, draft.version, "Bukan-Sandinya-1")
        .unwrap_err();
    assert_eq!(err.code().to_string(), "login_failed");
    let signed = o
        .store
        .finalize_appraisal(&as_lurah, &draft.id, draft.version, PW)
        .unwrap();
    assert_eq!(signed.status, AppraisalStatus::Final);
    assert_eq!(signed.finalized_by.as_deref(), Some("lurah"));

    // The store refuses any change; so does SQL.
    let err = o
        .store
        .save_appraisal(&as_lurah, Some(&signed.id), signed.version, &input)
        .unwrap_err();
    assert!(
        err.to_string().contains("Final tidak dapat diubah"),
        "{err}"
    );
    let err = o
        .store
        .finalize_appraisal(&as_lurah, &signed.id, signed.version, PW)
        .unwrap_err();
    assert!(
        err.to_string().contains("Final tidak dapat diubah"),
        "{err}"
    );
    let conn = o.store.connection();
    let sql = conn
        .execute(
            "UPDATE appraisal SET predicate = 'Baik' WHERE id = ?1",
            [&signed.id],
        )
        .unwrap_err();
    assert!(
        sql.to_string().contains("Final tidak dapat diubah"),
        "{sql}"
    );
    assert!(conn
        .execute("DELETE FROM appraisal WHERE id = ?1", [&signed.id])
        .is_err());

    // A correction is an amendment that replaces it for the roster and keeps it visible.
    let amendment = o.store.amend_appraisal(&as_lurah, &signed.id).unwrap();
    assert_eq!(amendment.amends_id.as_deref(), Some(signed.id.as_str()));
    assert_eq!(amendment.status, AppraisalStatus::Draft);
    let err = o.store.amend_appraisal(&as_lurah, &signed.id).unwrap_err();
    assert!(err.to_string().contains("sudah diamandemen"), "{err}");
    let mut corrected = input.clone();
    corrected.perilaku_kerja = Some(Rating::DiBawah);
    let amendment = o
        .store
        .save_appraisal(
            &as_lurah,
            Some(&amendment.id),
            amendment.version,
            &corrected,
        )
        .unwrap();
    o.store
        .finalize_appraisal(&as_lurah, &amendment.id, amendment.version, PW)
        .unwrap();
    let line = o
        .store
        .appraisal_roster(&as_lurah, &tw3)
        .unwrap()
        .into_iter()
        .find(|l| l.employee.id == staff.id)
        .unwrap();
    assert_eq!(line.appraisal_id.as_deref(), Some(amendment.id.as_str()));
    assert_eq!(line.predicate, Some(Predicate::KurangMisconduct));
    let original = o.store.appraisal(&as_lurah, &signed.id).unwrap();
    assert_eq!(original.predicate, Some(Predicate::SangatBaik));
    assert_eq!(original.amended_by.as_deref(), Some(amendment.id.as_str()));

    // The appraisee may read their appraisal; a colleague may not.
    let as_staff = o.account("staf", &staff);
    assert!(o.store.appraisal(&as_staff, &signed.id).is_ok());
    let colleague = o.reports_of(&lurah.id).remove(1);
    let as_colleague = o.account("rekan", &colleague);
    assert_eq!(
        o.store
            .appraisal(&as_colleague, &signed.id)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    assert_eq!(o.store.verify_audit().unwrap().first_broken, None);
}

#[test]
fn only_the_atasan_on_the_first_day_of_the_period_appraises() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let staff = o
        .reports_of(&lurah.id)
        .into_iter()
        .find(|e| e.jabatan != "Sekretaris Lurah" && o.reports_of(&e.id).is_empty())
        .unwrap();
    let sekretaris = o.find(|e| e.office_code == "TERJUN" && e.jabatan == "Sekretaris Lurah");
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_lurah = o.account("lurah", &lurah);
    let as_sekretaris = o.account("sekretaris", &sekretaris);
    let as_camat = o.account("camat", &camat);

    // The supervisor's own supervisor is refused, by name and period.
    let tw3 = form(&staff, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai);
    let err = o
        .store
        .save_appraisal(&as_camat, None, 0, &tw3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Anda bukan atasan langsung {} pada periode Triwulan III 2026; hanya atasan langsung pada awal periode yang dapat menilainya", staff.display_name)
    );
    let last = o.store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("camat", "permission_denied")
    );

    // Mid-August the staff member moves under the Sekretaris Lurah.
    o.store.pin_today(day(2026, 8, 15)).unwrap();
    let admin = o.admin.clone();
    let mut moved: EmployeeInput = staff.to_input();
    moved.atasan_id = Some(sekretaris.id.clone());
    o.store
        .update_employee(&admin, &staff.id, staff.version, &moved)
        .unwrap();

    // Triwulan III began under the Lurah: the Lurah appraises it, the Sekretaris does not.
    o.store.pin_today(day(2026, 11, 30)).unwrap();
    assert_eq!(
        o.store
            .save_appraisal(&as_sekretaris, None, 0, &tw3)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    o.store.save_appraisal(&as_lurah, None, 0, &tw3).unwrap();
    // From the next period on it is the Sekretaris.
    let tw4 = form(
        &staff,
        Period::TriwulanIVAkhir,
        Rating::Sesuai,
        Rating::Sesuai,
    );
    assert_eq!(
        o.store
            .save_appraisal(&as_lurah, None, 0, &tw4)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    o.store
        .save_appraisal(&as_sekretaris, None, 0, &tw4)
        .unwrap();
    let on = |o: &mut Office, a: &Actor, p: Period| {
        o.store
            .appraisal_roster(a, &period(p))
            .unwrap()
            .iter()
            .any(|l| l.employee.id == staff.id)
    };
    assert!(on(&mut o, &as_lurah, Period::TriwulanIII));
    assert!(!on(&mut o, &as_lurah, Period::TriwulanIVAkhir));
    assert!(on(&mut o, &as_sekretaris, Period::TriwulanIVAkhir));

    // A period that has not begun cannot be appraised yet.
    let mut next = tw4.clone();
    next.year = 2027;
    next.period = Period::TriwulanI;
    let err = o
        .store
        .save_appraisal(&as_sekretaris, None, 0, &next)
        .unwrap_err();
    assert!(err.to_string().contains("belum dimulai"), "{err}");
}

#[test]
fn the_office_recap_counts_finals_and_warns_about_the_distribution() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let reports = o.reports_of(&lurah.id);
    assert!(reports.len() >= 3);
    let as_lurah = o.account("lurah", &lurah);
    let admin = o.admin.clone();
    let operator = NewUser {
        username: "operator".into(),
        full_name: "Operator Terjun".into(),
        roles: vec![Role::Operator],
        office_code: None,
        employee_nip: None,
        password: PW.into(),
    };
    o.store.add_user(&admin, &operator).unwrap();
    let as_operator = o.store.login("operator", PW).unwrap();
    let tw3 = period(Period::TriwulanIII);

    // Everyone the Lurah signs is Baik; one more stays a draft.
    for e in &reports[..reports.len() - 1] {
        let a = o
            .store
            .save_appraisal(
                &as_lurah,
                None,
                0,
                &form(e, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai),
            )
            .unwrap();
        o.store
            .finalize_appraisal(&as_lurah, &a.id, a.version, PW)
            .unwrap();
    }
    let last = reports.last().unwrap();
    o.store
        .save_appraisal(
            &as_lurah,
            None,
            0,
            &form(last, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai),
        )
        .unwrap();

    let terjun = o.lurah().office_id;
    let recap = |o: &mut Office, a: &Actor| o.store.appraisal_recap(a, &tw3).unwrap();
    let mine = recap(&mut o, &as_operator);
    assert_eq!(mine.len(), 1, "an operator sees their own office");
    let r = &mine[0];
    let expected_to_appraise = o
        .everyone
        .iter()
        .filter(|e| e.office_id == terjun && e.atasan_id.is_some())
        .count() as u32;
    assert_eq!(r.to_appraise, expected_to_appraise);
    assert_eq!((r.finals, r.drafts), (reports.len() as u32 - 1, 1));
    assert_eq!(r.counts.baik, reports.len() as u32 - 1);
    assert_eq!(r.org_result, None);
    assert!(
        r.warnings.is_empty(),
        "no organisation result, no rule to check"
    );

    // The office is rated Baik (by the Camat): all staff Baik breaks both of its rules — a
    // warning, not a block.
    let camat = o.find(|e| e.jabatan == "Camat");
    let as_camat = o.account("camat", &camat);
    o.store
        .set_org_result(&as_camat, &terjun, &tw3, OrgResult::Baik, PW)
        .unwrap();
    let r = recap(&mut o, &as_operator).remove(0);
    assert_eq!(r.org_result, Some(OrgResult::Baik));
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    let a = o
        .store
        .save_appraisal(
            &as_lurah,
            None,
            0,
            &form(&lurah, Period::TriwulanIII, Rating::Sesuai, Rating::Sesuai),
        )
        .err();
    assert!(a.is_some(), "the Lurah does not appraise themself");
    // Changing the result is a new version of the same row.
    o.store
        .set_org_result(&as_camat, &terjun, &tw3, OrgResult::Istimewa, PW)
        .unwrap();
    let r = recap(&mut o, &as_operator).remove(0);
    // Istimewa only caps Sangat Baik (at most 70%): all Baik fits.
    assert_eq!(
        (r.org_result, r.warnings.len()),
        (Some(OrgResult::Istimewa), 0)
    );
    let outbox: Vec<_> = o
        .store
        .pending_outbox()
        .unwrap()
        .into_iter()
        .filter(|m| m.entity == "org_result")
        .collect();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[0].row_id, outbox[1].row_id);
    assert_eq!((outbox[1].base_version, outbox[1].version), (1, 2));

    // Nor is the office's own result the operator's to set; the admin sees every office.
    let err = o
        .store
        .set_org_result(&as_operator, &terjun, &tw3, OrgResult::Baik, PW)
        .unwrap_err();
    assert_eq!(err.code().to_string(), "permission_denied");
    assert_eq!(recap(&mut o, &admin).len(), 6);
}

#[test]
fn a_draft_amendment_does_not_unsign_anything_and_can_be_discarded() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let staff = o.reports_of(&lurah.id).remove(0);
    let as_lurah = o.account("lurah", &lurah);
    let tw3 = period(Period::TriwulanIII);
    let a = o
        .store
        .save_appraisal(
            &as_lurah,
            None,
            0,
            &form(&staff, Period::TriwulanIII, Rating::DiAtas, Rating::DiAtas),
        )
        .unwrap();
    let signed = o
        .store
        .finalize_appraisal(&as_lurah, &a.id, a.version, PW)
        .unwrap();

    // The signed document keeps the people as they were: a later promotion does not reprint it.
    let admin = o.admin.clone();
    let mut promoted = staff.to_input();
    promoted.jabatan = "Kasi Pemerintahan".into();
    o.store
        .update_employee(&admin, &staff.id, staff.version, &promoted)
        .unwrap();
    let again = o.store.appraisal(&as_lurah, &signed.id).unwrap();
    assert_eq!(again.appraisee.jabatan, staff.jabatan);

    // Starting an amendment leaves the Final counting until the amendment is signed.
    let draft = o.store.amend_appraisal(&as_lurah, &signed.id).unwrap();
    let line = |o: &mut Office| {
        o.store
            .appraisal_roster(&as_lurah, &tw3)
            .unwrap()
            .into_iter()
            .find(|l| l.employee.id == staff.id)
            .unwrap()
    };
    let l = line(&mut o);
    assert_eq!(
        (l.appraisal_id.as_deref(), l.status),
        (Some(signed.id.as_str()), Some(AppraisalStatus::Final))
    );
    // Thrown away, the place is free for another amendment.
    o.store
        .discard_appraisal_draft(&as_lurah, &draft.id, draft.version)
        .unwrap();
    assert_eq!(
        o.store.appraisal(&as_lurah, &signed.id).unwrap().amended_by,
        None
    );
    // The amendment of one Final has one id on every laptop (so two laptops amending it meet at
    // the hub); started again, the discarded row comes back as its next version.
    let again = o.store.amend_appraisal(&as_lurah, &signed.id).unwrap();
    assert_eq!(
        (again.id.as_str(), again.version, again.status),
        (draft.id.as_str(), draft.version + 2, AppraisalStatus::Draft)
    );
    let err = o
        .store
        .discard_appraisal_draft(&as_lurah, &signed.id, signed.version)
        .unwrap_err();
    assert!(
        err.to_string().contains("Final tidak dapat diubah"),
        "{err}"
    );

    // SQL cannot replace a Final either, nor move an amendment onto it.
    let conn = o.store.connection();
    let replace = conn.execute(
        "INSERT OR REPLACE INTO appraisal (id, owner_office_id, employee_id, penilai_id, year, period,
             month, document, status, version, created_at, updated_at)
         SELECT id, owner_office_id, employee_id, penilai_id, year, period, month, document, 'Draft',
             version, created_at, updated_at FROM appraisal WHERE id = ?1",
        [&signed.id],
    );
    assert!(replace
        .unwrap_err()
        .to_string()
        .contains("tidak dapat diganti"));
    assert!(conn
        .execute(
            "UPDATE appraisal SET amends_id = NULL WHERE id = ?1",
            [&again.id]
        )
        .is_err());
    assert_eq!(
        o.store.appraisal(&as_lurah, &signed.id).unwrap().status,
        AppraisalStatus::Final
    );

    // A month belongs to Bulanan only.
    let mut wrong = tw3;
    wrong.month = Some(7);
    let err = o.store.appraisal_roster(&as_lurah, &wrong).unwrap_err();
    assert!(
        err.to_string()
            .contains("bulan hanya diisi untuk periode Bulanan"),
        "{err}"
    );
}

#[test]
fn a_supervisor_whose_staff_moved_away_still_appraises_the_periods_they_led() {
    let mut o = Office::new();
    let lurah = o.lurah();
    let sekretaris = o.find(|e| e.office_code == "TERJUN" && e.jabatan == "Sekretaris Lurah");
    // Everyone under the Sekretaris moves to the Lurah in mid-November.
    o.store.pin_today(day(2026, 11, 15)).unwrap();
    let admin = o.admin.clone();
    for e in o.reports_of(&sekretaris.id) {
        let mut moved = e.to_input();
        moved.atasan_id = Some(lurah.id.clone());
        o.store
            .update_employee(&admin, &e.id, e.version, &moved)
            .unwrap();
    }
    o.store.pin_today(day(2026, 11, 30)).unwrap();
    let as_sekretaris = o.account("sekretaris", &sekretaris);
    assert!(
        as_sekretaris.has(Role::Penilai),
        "still a penilai for the periods they led"
    );
    let roster = o
        .store
        .appraisal_roster(&as_sekretaris, &period(Period::TriwulanIII))
        .unwrap();
    assert_eq!(roster.len(), o.reports_of(&sekretaris.id).len());
}
