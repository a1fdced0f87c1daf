//! Rencana SKP on a real database: the Camat's plan heads the chain, the Lurah's RHK support the
//! Camat's and their staff's the Lurah's (intervensi); a plan is agreed when the pegawai and the
//! penilai have both signed with their password; an agreed plan is fixed (store and SQL) and
//! changes by a revision that keeps its RHK; the matriks peran hasil shows who carries what.

use pelita_core::appraisal::form::RhkJenis;
use pelita_core::appraisal::plan::{PlanIndicator, PlanInput, PlanRhk, Target};
use pelita_core::appraisal::Aspect;
use pelita_core::auth::Actor;
use pelita_store::{ErrorCode, NewUser, PlanParty, PlanStatus};

use crate::common::appraisal::{Office, PW};

pub(super) fn rhk(id: &str, text: &str, intervensi: Option<&str>, target: Target) -> PlanRhk {
    PlanRhk {
        id: id.into(),
        jenis: RhkJenis::Utama,
        rhk: text.into(),
        intervensi: intervensi.map(str::to_string),
        indicators: vec![PlanIndicator {
            indikator: format!("Indikator {text}"),
            aspek: Aspect::Kuantitas,
            target,
        }],
    }
}

pub(super) fn percent(n: f64) -> Target {
    Target::Kuantitatif {
        nilai: n,
        satuan: "persen".into(),
    }
}

pub(super) fn plan(employee_id: &str, items: Vec<PlanRhk>) -> PlanInput {
    PlanInput {
        employee_id: employee_id.into(),
        year: 2026,
        items,
    }
}

pub(super) struct Chain {
    pub(super) o: Office,
    pub(super) camat: Actor,
    pub(super) lurah: Actor,
    pub(super) staff: Actor,
    pub(super) lurah_id: String,
    pub(super) staff_id: String,
    pub(super) camat_id: String,
}

pub(super) fn chain() -> Chain {
    let mut o = Office::new();
    let lurah = o.lurah();
    let staff = o.reports_of(&lurah.id).remove(0);
    let camat = o.find(|e| e.jabatan == "Camat");
    Chain {
        camat: o.account("camat", &camat),
        lurah: o.account("lurah", &lurah),
        staff: o.account("staf", &staff),
        lurah_id: lurah.id,
        staff_id: staff.id,
        camat_id: camat.id,
        o,
    }
}

/// The Camat's plan (c1), the Lurah's supporting it (l1) and a staff member's supporting the
/// Lurah's (s1), each signed by both parties: the chain agreed for 2026.
pub(super) fn agree_all(c: &mut Chain) {
    for (who, id, doc) in [
        (
            c.camat.clone(),
            c.camat_id.clone(),
            plan(
                &c.camat_id,
                vec![rhk("c1", "Pelayanan prima", None, percent(95.0))],
            ),
        ),
        (
            c.lurah.clone(),
            c.lurah_id.clone(),
            plan(
                &c.lurah_id,
                vec![rhk("l1", "Layanan tepat waktu", Some("c1"), percent(90.0))],
            ),
        ),
        (
            c.staff.clone(),
            c.staff_id.clone(),
            plan(
                &c.staff_id,
                vec![rhk("s1", "Surat selesai 1 hari", Some("l1"), percent(90.0))],
            ),
        ),
    ] {
        let p = c.o.store.save_plan(&who, None, 0, &doc).unwrap();
        let p = c.o.store.sign_plan(&who, &p.id, p.version, PW).unwrap();
        if p.status == PlanStatus::Draft {
            let penilai = if id == c.lurah_id {
                c.camat.clone()
            } else {
                c.lurah.clone()
            };
            c.o.store.sign_plan(&penilai, &p.id, p.version, PW).unwrap();
        }
    }
}

pub(super) fn err_text(e: pelita_store::StoreError) -> String {
    match &e {
        pelita_store::StoreError::Validation(v) => v
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[test]
fn the_plans_cascade_from_the_camat_and_are_agreed_by_both_signatures() {
    let mut c = chain();
    // The Camat heads the chain in Pelita: their RHK support nobody's, and they sign alone.
    let linked = plan(
        &c.camat_id,
        vec![rhk(
            "c1",
            "Pelayanan publik kecamatan prima",
            Some("x"),
            percent(95.0),
        )],
    );
    let err = c.o.store.save_plan(&c.camat, None, 0, &linked).unwrap_err();
    assert!(err_text(err).contains("items.0.intervensi"));
    let camat_plan =
        c.o.store
            .save_plan(
                &c.camat,
                None,
                0,
                &plan(
                    &c.camat_id,
                    vec![
                        rhk(
                            "c1",
                            "Pelayanan publik kecamatan prima",
                            None,
                            percent(95.0),
                        ),
                        rhk("c2", "Kelurahan tertib administrasi", None, percent(100.0)),
                    ],
                ),
            )
            .unwrap();
    assert_eq!(camat_plan.penilai_id, None);
    let camat_plan =
        c.o.store
            .sign_plan(&c.camat, &camat_plan.id, camat_plan.version, PW)
            .unwrap();
    assert_eq!(camat_plan.status, PlanStatus::Disepakati);

    // The Lurah's plan: an RHK utama without intervensi is a draft, never signed.
    let mut lurah_doc = plan(
        &c.lurah_id,
        vec![rhk(
            "l1",
            "Layanan administrasi kelurahan tepat waktu",
            None,
            percent(90.0),
        )],
    );
    let draft = c.o.store.save_plan(&c.lurah, None, 0, &lurah_doc).unwrap();
    assert_eq!(draft.penilai_id.as_deref(), Some(c.camat_id.as_str()));
    let err =
        c.o.store
            .sign_plan(&c.lurah, &draft.id, draft.version, PW)
            .unwrap_err();
    assert!(err_text(err).contains("harus mengintervensi"), "refused");
    lurah_doc.items[0].intervensi = Some("c1".into());
    let draft =
        c.o.store
            .save_plan(&c.lurah, Some(&draft.id), draft.version, &lurah_doc)
            .unwrap();
    // A wrong password signs nothing.
    let err =
        c.o.store
            .sign_plan(&c.lurah, &draft.id, draft.version, "bukan-sandinya-1")
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::LoginFailed);
    let half =
        c.o.store
            .sign_plan(&c.lurah, &draft.id, draft.version, PW)
            .unwrap();
    assert_eq!(half.status, PlanStatus::Draft, "one signature of two");
    assert!(half.pegawai_signed.is_some() && half.penilai_signed.is_none());
    let view = c.o.store.skp_plan(&c.camat, &c.lurah_id, 2026).unwrap();
    assert_eq!(view.signs_as, Some(PlanParty::Penilai));
    let agreed =
        c.o.store
            .sign_plan(&c.camat, &half.id, half.version, PW)
            .unwrap();
    assert_eq!(agreed.status, PlanStatus::Disepakati);
    assert_eq!(
        agreed.penilai_signed.map(|p| p.name),
        Some(view.penilai.unwrap().name)
    );

    // The staff member's RHK supports the Lurah's, not the Camat's.
    let stray = plan(
        &c.staff_id,
        vec![rhk(
            "s1",
            "Surat keterangan selesai 1 hari",
            Some("c1"),
            percent(90.0),
        )],
    );
    let err = c.o.store.save_plan(&c.staff, None, 0, &stray).unwrap_err();
    assert!(err_text(err).contains("tidak ada pada Rencana SKP atasan"));
    let qualitative = Target::Kualitatif {
        uraian: "Tanpa pengaduan masyarakat".into(),
    };
    let mut staff_doc = plan(
        &c.staff_id,
        vec![
            rhk(
                "s1",
                "Surat keterangan selesai 1 hari",
                Some("l1"),
                percent(90.0),
            ),
            rhk("s2", "Layanan ramah", Some("l1"), qualitative),
        ],
    );
    staff_doc.items[1].jenis = RhkJenis::Tambahan;
    let staff_plan = c.o.store.save_plan(&c.staff, None, 0, &staff_doc).unwrap();
    let staff_plan =
        c.o.store
            .sign_plan(&c.staff, &staff_plan.id, staff_plan.version, PW)
            .unwrap();
    // A change after a signature drops it: the pegawai signed another text.
    staff_doc.items[0].rhk = "Surat keterangan selesai di hari yang sama".into();
    let changed =
        c.o.store
            .save_plan(
                &c.lurah,
                Some(&staff_plan.id),
                staff_plan.version,
                &staff_doc,
            )
            .unwrap();
    assert!(changed.pegawai_signed.is_none());
    let signed =
        c.o.store
            .sign_plan(&c.staff, &changed.id, changed.version, PW)
            .unwrap();
    let agreed =
        c.o.store
            .sign_plan(&c.lurah, &signed.id, signed.version, PW)
            .unwrap();
    assert_eq!(agreed.status, PlanStatus::Disepakati);

    // The matriks peran hasil of the Lurah: their RHK and the staff RHK that support it.
    let m = c.o.store.peran_hasil(&c.lurah, &c.lurah_id, 2026).unwrap();
    assert_eq!(m.rows.len(), 1);
    let carried: Vec<(&str, bool)> = m.rows[0]
        .carried_by
        .iter()
        .map(|c| (c.rhk.as_str(), c.agreed))
        .collect();
    assert_eq!(
        carried,
        [
            ("Surat keterangan selesai di hari yang sama", true),
            ("Layanan ramah", true)
        ]
    );
    assert_eq!(
        m.rows[0].carried_by[1].indicators,
        ["Indikator Layanan ramah: Tanpa pengaduan masyarakat"]
    );
    // The quarter's appraisal starts from the agreed plan: each indicator with its target.
    let tw4 = crate::common::appraisal::period(pelita_core::appraisal::Period::TriwulanIVAkhir);
    let form =
        c.o.store
            .appraisal_from_plan(&c.lurah, &c.staff_id, &tw4)
            .unwrap();
    let items: Vec<(String, f64, Option<String>)> = form
        .items
        .iter()
        .map(|i| (i.indikator.clone(), i.target, i.uraian_target.clone()))
        .collect();
    assert_eq!(
        items,
        [
            (
                "Surat keterangan selesai di hari yang sama — Indikator Surat keterangan selesai 1 hari"
                    .to_string(),
                90.0,
                None
            ),
            (
                "Layanan ramah — Indikator Layanan ramah".to_string(),
                100.0,
                Some("Tanpa pengaduan masyarakat".to_string())
            )
        ]
    );
    assert_eq!(form.behaviour.len(), 7);
    // Only the penilai starts it.
    let err =
        c.o.store
            .appraisal_from_plan(&c.staff, &c.staff_id, &tw4)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    let draft = c.o.store.save_appraisal(&c.lurah, None, 0, &form).unwrap();
    assert_eq!(
        draft.document.items[1].uraian_target.as_deref(),
        Some("Tanpa pengaduan masyarakat")
    );

    let outbox =
        c.o.store
            .pending_outbox()
            .unwrap()
            .into_iter()
            .filter(|m| m.entity == "skp_plan")
            .count();
    assert!(
        outbox >= 9,
        "every draft and signature is a change that syncs ({outbox})"
    );
}

#[test]
fn only_the_two_people_sign_and_an_agreed_plan_changes_by_revision() {
    let mut c = chain();
    let camat_plan =
        c.o.store
            .save_plan(
                &c.camat,
                None,
                0,
                &plan(
                    &c.camat_id,
                    vec![rhk("c1", "Pelayanan prima", None, percent(95.0))],
                ),
            )
            .unwrap();
    c.o.store
        .sign_plan(&c.camat, &camat_plan.id, camat_plan.version, PW)
        .unwrap();
    let doc = plan(
        &c.lurah_id,
        vec![rhk("l1", "Layanan tepat waktu", Some("c1"), percent(90.0))],
    );
    // The office's operator types the plan; only the two people sign it.
    let admin = c.o.admin.clone();
    c.o.store
        .add_user(
            &admin,
            &NewUser {
                username: "operator".into(),
                full_name: "Operator Terjun".into(),
                roles: vec![pelita_core::auth::Role::Operator],
                office_code: Some("TERJUN".into()),
                employee_nip: None,
                password: PW.into(),
            },
        )
        .unwrap();
    let operator = c.o.store.login("operator", PW).unwrap();
    let draft = c.o.store.save_plan(&operator, None, 0, &doc).unwrap();
    let err =
        c.o.store
            .sign_plan(&operator, &draft.id, draft.version, PW)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    // A colleague is neither party nor the office's operator.
    let err =
        c.o.store
            .sign_plan(&c.staff, &draft.id, draft.version, PW)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);
    let err =
        c.o.store
            .save_plan(&c.staff, Some(&draft.id), draft.version, &doc)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied);

    let one =
        c.o.store
            .sign_plan(&c.lurah, &draft.id, draft.version, PW)
            .unwrap();
    let agreed =
        c.o.store
            .sign_plan(&c.camat, &one.id, one.version, PW)
            .unwrap();
    // Fixed: by the store and by SQL.
    let err =
        c.o.store
            .save_plan(&c.lurah, Some(&agreed.id), agreed.version, &doc)
            .unwrap_err();
    assert!(err_text(err).contains("buat revisi"));
    assert!(c
        .o
        .store
        .connection()
        .execute(
            "UPDATE skp_plan SET document = '{}' WHERE id = ?1",
            [&agreed.id]
        )
        .is_err());

    // A revision keeps the RHK (their ids: the staff's links stay whole) and names the plan it
    // revises; the agreed one is history, shown beside the revision.
    let revision = c.o.store.revise_plan(&c.lurah, &agreed.id).unwrap();
    assert_eq!(revision.status, PlanStatus::Draft);
    assert_eq!(revision.revises_id.as_deref(), Some(agreed.id.as_str()));
    assert_eq!(revision.document.items[0].id, "l1");
    let err = c.o.store.revise_plan(&c.lurah, &agreed.id).unwrap_err();
    assert!(err_text(err).contains("hanya Rencana SKP terakhir"));
    let view = c.o.store.skp_plan(&c.lurah, &c.lurah_id, 2026).unwrap();
    assert_eq!(view.plan.unwrap().id, revision.id);
    assert_eq!(view.history.len(), 1);
    // A second plan of the same year is not started beside it.
    let err = c.o.store.save_plan(&c.lurah, None, 0, &doc).unwrap_err();
    assert!(err_text(err).contains("sudah mempunyai Rencana SKP 2026"));
}

/// The demo carries agreed plans for last year and this one (2025 and 2026 today): everyone
/// active, each RHK utama of someone with an atasan supporting one of the atasan's.
#[test]
fn the_demo_carries_agreed_plans_for_last_year_and_this_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create(dir.path(), "TERJUN", true, PW);
    let admin = store.refresh_actor(&admin).unwrap();
    let active: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM employee WHERE active = 1 AND deleted = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let this_year = store.current_period().year;
    for year in [this_year - 1, this_year] {
        let ids: Vec<String> = store
            .connection()
            .prepare("SELECT employee_id FROM skp_plan WHERE year = ?1 AND status = 'Disepakati'")
            .unwrap()
            .query_map([year], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids.len() as i64, active, "{year}");
        for id in ids {
            let view = store.skp_plan(&admin, &id, year).unwrap();
            let plan = view.plan.unwrap();
            let linked = plan.document.check_intervensi(
                view.atasan_rhk
                    .map(|r| r.into_iter().map(|a| a.id).collect::<Vec<_>>())
                    .as_deref(),
                true,
            );
            assert_eq!(linked, Ok(()), "{} {year}", plan.employee.name);
        }
    }
}

/// A draft's penilai is whoever the register names as atasan langsung when it is signed, not when
/// it was begun; nobody but the head of the chain agrees a plan alone; the staff's links stand on
/// the atasan's agreed plan, and an RHK they support is not taken out of it.
#[test]
fn the_penilai_follows_the_register_and_the_cascade_stands_on_agreed_plans() {
    let mut c = chain();
    let admin = c.o.admin.clone();
    let camat_plan =
        c.o.store
            .save_plan(
                &c.camat,
                None,
                0,
                &plan(
                    &c.camat_id,
                    vec![rhk("c1", "Pelayanan prima", None, percent(95.0))],
                ),
            )
            .unwrap();
    c.o.store
        .sign_plan(&c.camat, &camat_plan.id, camat_plan.version, PW)
        .unwrap();
    // The Lurah's plan in draft: the staff may link to it while writing, not sign on it.
    let lurah_doc = plan(
        &c.lurah_id,
        vec![rhk("l1", "Layanan tepat waktu", Some("c1"), percent(90.0))],
    );
    let lurah_plan = c.o.store.save_plan(&c.lurah, None, 0, &lurah_doc).unwrap();
    let staff_doc = plan(
        &c.staff_id,
        vec![rhk("s1", "Surat selesai 1 hari", Some("l1"), percent(90.0))],
    );
    let draft = c.o.store.save_plan(&c.staff, None, 0, &staff_doc).unwrap();
    let err =
        c.o.store
            .sign_plan(&c.staff, &draft.id, draft.version, PW)
            .unwrap_err();
    assert!(err_text(err).contains("belum disepakati"));
    // Saved again unchanged: nothing written.
    let same =
        c.o.store
            .save_plan(&c.staff, Some(&draft.id), draft.version, &staff_doc)
            .unwrap();
    assert_eq!(same.version, draft.version);
    let one =
        c.o.store
            .sign_plan(&c.lurah, &lurah_plan.id, lurah_plan.version, PW)
            .unwrap();
    c.o.store
        .sign_plan(&c.camat, &one.id, one.version, PW)
        .unwrap();
    // Agreed, the Lurah's l1 is what Budi's plan stands on: a revision keeps it.
    let revision = c.o.store.revise_plan(&c.lurah, &one.id).unwrap();
    let without = plan(
        &c.lurah_id,
        vec![rhk("l2", "Arsip tertib", Some("c1"), percent(100.0))],
    );
    let err =
        c.o.store
            .save_plan(&c.lurah, Some(&revision.id), revision.version, &without)
            .unwrap_err();
    assert!(err_text(err).contains("didukung Rencana SKP"), "refused");
    let view = c.o.store.skp_plan(&c.lurah, &c.lurah_id, 2026).unwrap();
    assert!(
        !view.may_revise && view.may_edit,
        "the revision is the draft now"
    );

    // The staff member's atasan is taken out of the register: the Lurah signs nothing for them,
    // and they cannot agree it alone.
    let staff =
        c.o.store
            .employee_detail(&admin, &c.staff_id)
            .unwrap()
            .employee;
    let mut input = staff.to_input();
    input.atasan_id = None;
    c.o.store
        .update_employee(&admin, &c.staff_id, staff.version, &input)
        .unwrap();
    let view = c.o.store.skp_plan(&c.lurah, &c.staff_id, 2026).unwrap();
    assert_eq!(view.signs_as, None);
    let draft =
        c.o.store
            .skp_plan(&c.staff, &c.staff_id, 2026)
            .unwrap()
            .plan
            .unwrap();
    let err =
        c.o.store
            .sign_plan(&c.staff, &draft.id, draft.version, PW)
            .unwrap_err();
    assert!(
        err_text(err).contains("belum tercatat"),
        "nobody agrees it alone"
    );

    // Back under the Lurah: one signature of two, then the Lurah's.
    let staff =
        c.o.store
            .employee_detail(&admin, &c.staff_id)
            .unwrap()
            .employee;
    let mut input = staff.to_input();
    input.atasan_id = Some(c.lurah_id.clone());
    c.o.store
        .update_employee(&admin, &c.staff_id, staff.version, &input)
        .unwrap();
    let half =
        c.o.store
            .sign_plan(&c.staff, &draft.id, draft.version, PW)
            .unwrap();
    assert_eq!(half.status, PlanStatus::Draft);
    let agreed =
        c.o.store
            .sign_plan(&c.lurah, &half.id, half.version, PW)
            .unwrap();
    assert_eq!(agreed.status, PlanStatus::Disepakati);
    assert_eq!(agreed.penilai_id.as_deref(), Some(c.lurah_id.as_str()));
    let view = c.o.store.skp_plan(&c.lurah, &c.staff_id, 2026).unwrap();
    assert!(view.may_revise, "an agreed plan is revised from its page");
}
