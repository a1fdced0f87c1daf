//! The plan → realisasi → appraisal chain on a real database (PermenPANRB 6/2022: perencanaan,
//! pelaksanaan with bukti dukung, penilaian): the realisasi of an agreed plan's indicators per
//! period, their evidence kept encrypted in the database, the quarterly appraisal starting from
//! them, and a signed period that no longer changes.

use pelita_core::appraisal::{Period, Rating};
use pelita_store::{ErrorCode, RealisasiInput};

use super::plans::{agree_all, chain, err_text, Chain};
use crate::common::appraisal::{period, PW};

/// A PDF as a scanner makes it: the signature, then bytes (here 100 KiB: four chunks).
pub(crate) fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..len).map(|i| (i * 7 % 251) as u8));
    bytes
}

fn entry(c: &mut Chain, p: Period, realisasi: f64, version: i64) -> RealisasiInput {
    let view = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    RealisasiInput {
        plan_id: view.realisasi_plan.unwrap().id,
        rhk_id: "s1".into(),
        indicator: 0,
        period: p,
        month: None,
        realisasi: Some(realisasi),
        uraian: "312 surat keterangan, 287 selesai hari itu".into(),
        expected_version: version,
    }
}

#[test]
fn the_realisasi_of_the_agreed_plan_fills_the_quarterly_appraisal() {
    let mut c = chain();
    // Before the plan is agreed there is nothing to enter a realisasi against.
    let view = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    assert!(!view.may_enter_realisasi && view.realisasi_plan.is_none());
    agree_all(&mut c);
    let input = entry(&mut c, Period::TriwulanI, 92.0, 0);
    let kept = c.o.store.save_realisasi(&c.staff, &input).unwrap();
    assert_eq!((kept.version, kept.realisasi), (1, 92.0));
    // Saved again unchanged: nothing written; a stale version is refused, not overwritten.
    let again = c.o.store.save_realisasi(&c.staff, &input).unwrap();
    assert_eq!(again.version, 1);
    let stale = entry(&mut c, Period::TriwulanI, 93.0, 0);
    let err = c.o.store.save_realisasi(&c.lurah, &stale).unwrap_err();
    assert_eq!(err.code(), ErrorCode::VersionConflict);
    // The penilai corrects it at the version they saw: one row, the next version.
    let corrected = entry(&mut c, Period::TriwulanI, 93.0, 1);
    let kept = c.o.store.save_realisasi(&c.lurah, &corrected).unwrap();
    assert_eq!((kept.version, kept.entered_by.as_str()), (2, "lurah"));

    // What is not in the plan, a period not begun, a qualitative share above 100 or a negative
    // number are refused at their fields.
    let mut unknown = entry(&mut c, Period::TriwulanII, 10.0, 0);
    unknown.rhk_id = "l1".into();
    let mut second_indicator = entry(&mut c, Period::TriwulanII, 10.0, 0);
    second_indicator.indicator = 1;
    let mut december = entry(&mut c, Period::Bulanan, 10.0, 0);
    december.month = Some(12);
    let mut not_a_number = entry(&mut c, Period::TriwulanII, 10.0, 0);
    not_a_number.realisasi = None;
    for (bad, field) in [
        (not_a_number, "realisasi"),
        (unknown, "rhk_id"),
        (second_indicator, "rhk_id"),
        (december, "period"),
        (entry(&mut c, Period::TriwulanII, -1.0, 0), "realisasi"),
    ] {
        let err = c.o.store.save_realisasi(&c.staff, &bad).unwrap_err();
        assert!(err_text(err).starts_with(field), "{field}");
    }
    // Another pegawai of the office writes none of it.
    let lurah_id = c.lurah_id.clone();
    let colleague = c.o.reports_of(&lurah_id).remove(1);
    let other = c.o.account("rekan", &colleague);
    let input = entry(&mut c, Period::TriwulanII, 50.0, 0);
    let err = c.o.store.save_realisasi(&other, &input).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);

    // The quarterly appraisal the penilai starts carries the plan's items with the period's
    // realisasi; another quarter's items have none yet.
    let from_plan =
        c.o.store
            .appraisal_from_plan(&c.lurah, &c.staff_id, &period(Period::TriwulanI))
            .unwrap();
    assert_eq!(from_plan.items.len(), 1);
    assert_eq!(
        (from_plan.items[0].target, from_plan.items[0].realisasi),
        (90.0, Some(93.0))
    );
    let second =
        c.o.store
            .appraisal_from_plan(&c.lurah, &c.staff_id, &period(Period::TriwulanII))
            .unwrap();
    assert_eq!(second.items[0].realisasi, None);

    let evidence =
        c.o.store
            .attach_evidence(&c.staff, &kept.id, "rekap-triwulan-1.pdf", &pdf(2048))
            .unwrap();
    // Signed, the period's realisasi stays as rated: no change, no more evidence, none taken off.
    let mut form = from_plan;
    form.hasil_kerja = Some(Rating::Sesuai);
    form.perilaku_kerja = Some(Rating::Sesuai);
    for b in &mut form.behaviour {
        b.rating = Some(Rating::Sesuai);
    }
    form.items[0].umpan_balik = "Pertahankan".into();
    let draft = c.o.store.save_appraisal(&c.lurah, None, 0, &form).unwrap();
    c.o.store
        .finalize_appraisal(&c.lurah, &draft.id, draft.version, PW)
        .unwrap();
    let input = entry(&mut c, Period::TriwulanI, 99.0, 2);
    let err = c.o.store.save_realisasi(&c.staff, &input).unwrap_err();
    assert!(err_text(err).contains("sudah ditandatangani"));
    let err =
        c.o.store
            .attach_evidence(&c.staff, &kept.id, "bukti.pdf", &pdf(10))
            .unwrap_err();
    assert!(err_text(err).contains("sudah ditandatangani"));
    let err =
        c.o.store
            .remove_evidence(&c.lurah, &evidence.id, evidence.version)
            .unwrap_err();
    assert!(err_text(err).contains("sudah ditandatangani"));
    let view = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    let kept_evidence: Vec<&str> = view.realisasi[0]
        .evidence
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(kept_evidence, ["rekap-triwulan-1.pdf"]);
}

/// A revision agreed mid-year that puts another indicator in a place: the realisasi entered for
/// the old indicator does not fill the new one, and a page still showing the old plan is told to
/// reload instead of writing against it.
#[test]
fn a_revision_does_not_hand_a_realisasi_to_another_indicator() {
    let mut c = chain();
    agree_all(&mut c);
    let before = entry(&mut c, Period::TriwulanI, 80.0, 0);
    c.o.store.save_realisasi(&c.staff, &before).unwrap();
    let agreed =
        c.o.store
            .skp_plan(&c.staff, &c.staff_id, 2026)
            .unwrap()
            .plan
            .unwrap();
    let revision = c.o.store.revise_plan(&c.staff, &agreed.id).unwrap();
    let mut doc = revision.document.clone();
    doc.items[0].indicators[0].indikator = "Rata-rata waktu layanan surat".into();
    let revision =
        c.o.store
            .save_plan(&c.staff, Some(&revision.id), revision.version, &doc)
            .unwrap();
    let revision =
        c.o.store
            .sign_plan(&c.staff, &revision.id, revision.version, PW)
            .unwrap();
    c.o.store
        .sign_plan(&c.lurah, &revision.id, revision.version, PW)
        .unwrap();
    let from_plan =
        c.o.store
            .appraisal_from_plan(&c.lurah, &c.staff_id, &period(Period::TriwulanI))
            .unwrap();
    assert!(from_plan.items[0]
        .indikator
        .contains("Rata-rata waktu layanan surat"));
    assert_eq!(from_plan.items[0].realisasi, None);
    // The old plan is no longer the one realisasi are entered against.
    let err = c.o.store.save_realisasi(&c.staff, &before).unwrap_err();
    assert!(err_text(err).starts_with("plan_id"));
    // Entered for the new indicator, it fills it.
    let now = entry(&mut c, Period::TriwulanI, 45.0, 1);
    let kept = c.o.store.save_realisasi(&c.staff, &now).unwrap();
    assert_eq!(kept.indikator, "Rata-rata waktu layanan surat");
    let from_plan =
        c.o.store
            .appraisal_from_plan(&c.lurah, &c.staff_id, &period(Period::TriwulanI))
            .unwrap();
    assert_eq!(from_plan.items[0].realisasi, Some(45.0));
}

#[test]
fn bukti_dukung_is_kept_whole_in_the_database_and_opened_only_by_those_concerned() {
    let mut c = chain();
    agree_all(&mut c);
    let input = entry(&mut c, Period::TriwulanIII, 88.0, 0);
    let r = c.o.store.save_realisasi(&c.staff, &input).unwrap();
    let file = pdf(100 * 1024);
    let added =
        c.o.store
            .attach_evidence(&c.staff, &r.id, "C:\\Scan\\laporan-triwulan.pdf", &file)
            .unwrap();
    assert_eq!(added.file_name, "laporan-triwulan.pdf");
    assert_eq!(added.size as usize, file.len());
    assert!(added.available && !added.at_hub);
    // The plan page lists it with its realisasi; the row waits in the outbox for the hub.
    let view = c.o.store.skp_plan(&c.lurah, &c.staff_id, 2026).unwrap();
    assert_eq!(view.realisasi[0].evidence[0].id, added.id);
    assert_eq!(c.o.store.sync_status().unwrap().files_waiting, 1);
    // The pegawai and the penilai open it, byte for byte; a colleague may not.
    for who in [c.staff.clone(), c.lurah.clone()] {
        let (_, bytes) = c.o.store.open_attachment(&who, &added.id).unwrap();
        assert_eq!(bytes, file);
    }
    let lurah_id = c.lurah_id.clone();
    let colleague = c.o.reports_of(&lurah_id).remove(1);
    let other = c.o.account("rekan", &colleague);
    let err = c.o.store.open_attachment(&other, &added.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    // A program, an empty file or one above 5 MB is refused, naming the file; nothing is kept.
    let mut big = pdf(0);
    big.resize(5 * 1024 * 1024 + 1, 0);
    for (name, bytes, says) in [
        ("setup.exe", b"MZ\x90\0".to_vec(), "bukan PDF"),
        ("kosong.pdf", Vec::new(), "kosong"),
        ("besar.pdf", big, "paling besar 5 MB"),
    ] {
        let err =
            c.o.store
                .attach_evidence(&c.staff, &r.id, name, &bytes)
                .unwrap_err();
        let text = err_text(err);
        assert!(text.contains(name) && text.contains(says), "{text}");
    }
    let view = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    assert_eq!(view.realisasi[0].evidence.len(), 1);
    // A colleague cannot take it off; the penilai can: gone from the page, a tombstone for the
    // hub, and the file gone from this laptop's database.
    let err =
        c.o.store
            .remove_evidence(&other, &added.id, added.version)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    c.o.store
        .remove_evidence(&c.lurah, &added.id, added.version)
        .unwrap();
    let view = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    assert!(view.realisasi[0].evidence.is_empty());
    assert_eq!(c.o.store.sync_status().unwrap().files_waiting, 0);
    let err = c.o.store.open_attachment(&c.staff, &added.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}
