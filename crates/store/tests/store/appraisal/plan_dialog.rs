//! Dialog kinerja and bimbingan kinerja on a real database: the notes the penilai keeps of the
//! year on the agreed Rencana SKP.

use pelita_store::ErrorCode;

use super::plans::{agree_all, chain, err_text};

/// Dialog kinerja and bimbingan kinerja: the penilai keeps dated notes of the year, about one RHK
/// of the agreed plan or in general; the pegawai reads them and writes none.
#[test]
fn the_penilai_keeps_dialog_and_coaching_notes_of_the_year() {
    use pelita_store::{DialogInput, DialogKind};
    let mut c = chain();
    agree_all(&mut c);
    let staff_plan = c.o.store.skp_plan(&c.lurah, &c.staff_id, 2026).unwrap();
    assert!(staff_plan.may_note);
    let plan_id = staff_plan.plan.unwrap().id;
    let note = |day: &str, rhk: Option<&str>| DialogInput {
        plan_id: plan_id.clone(),
        rhk_id: rhk.map(str::to_string),
        kind: DialogKind::Bimbingan,
        held_on: day.into(),
        note: "Surat domisili menumpuk pada hari Senin; dibagi ke dua petugas".into(),
    };
    let kept =
        c.o.store
            .record_dialog(&c.lurah, &note("2026-05-04", Some("s1")))
            .unwrap();
    assert_eq!(kept.penilai.name, c.o.lurah().display_name);
    // Only the penilai writes; a day not yet come, another year or an RHK not in the plan are
    // refused, named at their fields.
    let err =
        c.o.store
            .record_dialog(&c.staff, &note("2026-05-04", None))
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    for (bad, field) in [
        (note("2026-12-31", None), "held_on"),
        (note("2025-11-03", None), "held_on"),
        (note("2026-05-04", Some("x")), "rhk_id"),
    ] {
        let err = c.o.store.record_dialog(&c.lurah, &bad).unwrap_err();
        assert!(err_text(err).starts_with(field), "{field}");
    }
    // The pegawai reads the year's notes on their plan's page.
    let own = c.o.store.skp_plan(&c.staff, &c.staff_id, 2026).unwrap();
    assert!(!own.may_note);
    assert_eq!(
        own.dialogs
            .iter()
            .map(|d| (d.held_on.as_str(), d.rhk_id.as_deref(), d.kind))
            .collect::<Vec<_>>(),
        [("2026-05-04", Some("s1"), DialogKind::Bimbingan)]
    );
}
