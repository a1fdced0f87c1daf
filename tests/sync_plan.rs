//! Rencana SKP across laptops and the hub: the Camat's plan, signed at the Kantor Camat, reaches
//! Kelurahan Terjun, where the Lurah's plan is written to support it and signed by the Lurah; the
//! Camat signs it as penilai at the Kantor Camat; back at Terjun it is agreed, and Budi's plan
//! supports the Lurah's. Paya Pasir holds the Camat's plan but not Terjun's.

mod support;

use pelita_core::appraisal::form::RhkJenis;
use pelita_core::appraisal::plan::{PlanIndicator, PlanInput, PlanRhk, Target};
use pelita_core::appraisal::Aspect;
use pelita_store::PlanStatus;
use support::transfer::{day, person, register, ANI, BUDI};
use support::PW;

const CAMAT: &str = "197001011994011001";

fn plan(employee_id: &str, id: &str, text: &str, intervensi: Option<&str>) -> PlanInput {
    PlanInput {
        employee_id: employee_id.into(),
        year: 2026,
        items: vec![PlanRhk {
            id: id.into(),
            jenis: RhkJenis::Utama,
            rhk: text.into(),
            intervensi: intervensi.map(str::to_string),
            indicators: vec![PlanIndicator {
                indikator: format!("Indikator {text}"),
                aspek: Aspect::Kuantitas,
                target: Target::Kuantitatif {
                    nilai: 90.0,
                    satuan: "persen".into(),
                },
            }],
        }],
    }
}

#[test]
fn plans_cascade_and_are_signed_on_the_laptops_of_the_two_people() {
    let dir = tempfile::tempdir().unwrap();
    let (_hub, mut terjun, mut paya, mut hq) = support::district(dir.path());
    for l in [&mut terjun, &mut paya, &mut hq] {
        l.store.pin_today(day("2026-01-05")).unwrap();
    }
    let camat_id = register(&mut hq, CAMAT, "Ahmad Camat", "Camat", None);
    hq.sync();
    terjun.sync();
    let ani = register(&mut terjun, ANI, "Ani Lubis", "Lurah", Some(&camat_id));
    let budi = register(&mut terjun, BUDI, "Budi Nasution", "Pelaksana", Some(&ani));
    terjun.sync();

    // At the Kantor Camat, which holds the Lurahs who answer to the Camat: the Camat's plan,
    // signed alone (the head of the chain).
    hq.sync();
    let as_camat = person(&mut hq, "camat", CAMAT);
    let p = hq
        .store
        .save_plan(
            &as_camat,
            None,
            0,
            &plan(&camat_id, "c1", "Pelayanan prima", None),
        )
        .unwrap();
    hq.store.sign_plan(&as_camat, &p.id, p.version, PW).unwrap();
    hq.sync();

    // At Terjun: the Lurah's plan supports the Camat's RHK, which Terjun now holds.
    terjun.sync();
    let as_ani = person(&mut terjun, "ani", ANI);
    let view = terjun.store.skp_plan(&as_ani, &ani, 2026).unwrap();
    let offered: Vec<String> = view.atasan_rhk.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(offered, ["c1"]);
    let p = terjun
        .store
        .save_plan(
            &as_ani,
            None,
            0,
            &plan(&ani, "l1", "Layanan tepat waktu", Some("c1")),
        )
        .unwrap();
    terjun
        .store
        .sign_plan(&as_ani, &p.id, p.version, PW)
        .unwrap();
    assert_eq!(terjun.sync().rejected, 0);

    // At the Kantor Camat: the Camat signs it as penilai.
    hq.sync();
    let view = hq.store.skp_plan(&as_camat, &ani, 2026).unwrap();
    let lurah_plan = view.plan.unwrap();
    assert!(lurah_plan.pegawai_signed.is_some());
    let agreed = hq
        .store
        .sign_plan(&as_camat, &lurah_plan.id, lurah_plan.version, PW)
        .unwrap();
    assert_eq!(agreed.status, PlanStatus::Disepakati);
    assert_eq!(hq.sync().rejected, 0);

    // Back at Terjun: agreed, and Budi's plan supports it, signed by both there.
    terjun.sync();
    let view = terjun.store.skp_plan(&as_ani, &ani, 2026).unwrap();
    assert_eq!(view.plan.unwrap().status, PlanStatus::Disepakati);
    let as_budi = person(&mut terjun, "budi", BUDI);
    let p = terjun
        .store
        .save_plan(
            &as_budi,
            None,
            0,
            &plan(&budi, "b1", "Surat selesai 1 hari", Some("l1")),
        )
        .unwrap();
    let p = terjun
        .store
        .sign_plan(&as_budi, &p.id, p.version, PW)
        .unwrap();
    let p = terjun
        .store
        .sign_plan(&as_ani, &p.id, p.version, PW)
        .unwrap();
    assert_eq!(p.status, PlanStatus::Disepakati);
    // In May the Lurah coaches Budi on his RHK, and keeps a note of it.
    terjun.store.pin_today(day("2026-05-06")).unwrap();
    terjun
        .store
        .record_dialog(
            &as_ani,
            &pelita_store::DialogInput {
                plan_id: p.id.clone(),
                rhk_id: Some("b1".into()),
                kind: pelita_store::DialogKind::Bimbingan,
                held_on: "2026-05-04".into(),
                note: "Antrean surat pagi hari dibagi dua loket".into(),
            },
        )
        .unwrap();
    assert_eq!(terjun.sync().rejected, 0);
    hq.sync();
    let hq_admin = hq.admin.clone();
    let notes = hq.store.skp_plan(&hq_admin, &budi, 2026).unwrap().dialogs;
    assert_eq!(notes.len(), 1, "the note reached the Kantor Camat");
    let m = hq.store.peran_hasil(&as_camat, &ani, 2026).unwrap();
    assert_eq!(m.rows[0].carried_by[0].rhk, "Surat selesai 1 hari");

    // Paya Pasir holds the Camat's plan (to cascade from) and none of Terjun's.
    paya.sync();
    let held: Vec<String> = paya
        .store
        .connection()
        .prepare("SELECT employee_id FROM skp_plan ORDER BY employee_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(held, [camat_id]);
}

/// A pegawai transferred mid-year takes their plan with them: the receiving office holds it, and
/// their new atasan revises it there — the office they left no longer writes it.
#[test]
fn a_plan_follows_its_pegawai_to_the_office_they_move_to() {
    use support::transfer::{approval, transfer_to_paya, CITRA};
    let dir = tempfile::tempdir().unwrap();
    let (_hub, mut terjun, mut paya, mut hq) = support::district(dir.path());
    let pin = |ls: [&mut support::Laptop; 3], d: &str| {
        for l in ls {
            l.store.pin_today(day(d)).unwrap();
        }
    };
    pin([&mut terjun, &mut paya, &mut hq], "2026-01-05");
    let camat_id = register(&mut hq, CAMAT, "Ahmad Camat", "Camat", None);
    hq.sync();
    terjun.sync();
    paya.sync();
    let ani = register(&mut terjun, ANI, "Ani Lubis", "Lurah", Some(&camat_id));
    let budi = register(&mut terjun, BUDI, "Budi Nasution", "Pelaksana", Some(&ani));
    let citra = register(&mut paya, CITRA, "Citra Siregar", "Lurah", Some(&camat_id));
    register(
        &mut paya,
        support::transfer::DEDI,
        "Dedi Harahap",
        "Pelaksana",
        Some(&citra),
    );
    terjun.sync();
    paya.sync();
    hq.sync();

    let as_camat = person(&mut hq, "camat", CAMAT);
    let p = hq
        .store
        .save_plan(
            &as_camat,
            None,
            0,
            &plan(&camat_id, "c1", "Pelayanan prima", None),
        )
        .unwrap();
    hq.store.sign_plan(&as_camat, &p.id, p.version, PW).unwrap();
    hq.sync();
    terjun.sync();
    let as_ani = person(&mut terjun, "ani", ANI);
    let p = terjun
        .store
        .save_plan(
            &as_ani,
            None,
            0,
            &plan(&ani, "l1", "Layanan tepat waktu", Some("c1")),
        )
        .unwrap();
    terjun
        .store
        .sign_plan(&as_ani, &p.id, p.version, PW)
        .unwrap();
    terjun.sync();
    hq.sync();
    let p = hq
        .store
        .skp_plan(&as_camat, &ani, 2026)
        .unwrap()
        .plan
        .unwrap();
    hq.store.sign_plan(&as_camat, &p.id, p.version, PW).unwrap();
    hq.sync();
    terjun.sync();
    let as_budi = person(&mut terjun, "budi", BUDI);
    let p = terjun
        .store
        .save_plan(
            &as_budi,
            None,
            0,
            &plan(&budi, "b1", "Surat selesai 1 hari", Some("l1")),
        )
        .unwrap();
    let p = terjun
        .store
        .sign_plan(&as_budi, &p.id, p.version, PW)
        .unwrap();
    let budi_plan = terjun
        .store
        .sign_plan(&as_ani, &p.id, p.version, PW)
        .unwrap();
    assert_eq!(budi_plan.status, PlanStatus::Disepakati);
    terjun.sync();

    // Budi moves to Paya Pasir on 1 July; the Kantor Camat approves.
    pin([&mut terjun, &mut paya, &mut hq], "2026-06-20");
    let admin = terjun.admin.clone();
    let asked = terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    terjun.sync();
    hq.sync();
    pin([&mut terjun, &mut paya, &mut hq], "2026-07-02");
    let hq_admin = hq.admin.clone();
    hq.store
        .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
        .unwrap();
    for _ in 0..2 {
        for l in [&mut hq, &mut terjun, &mut paya] {
            assert_eq!(l.sync().rejected, 0);
        }
    }

    // Paya Pasir holds Budi's agreed plan, as its own; Citra, his atasan now, revises it there.
    let owner: String = paya
        .store
        .connection()
        .query_row(
            "SELECT owner_office_id FROM skp_plan WHERE id = ?1",
            [&budi_plan.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(owner, pelita_core::office::office_id("PAYA-PASIR"));
    let as_citra = person(&mut paya, "citra", CITRA);
    let revision = paya.store.revise_plan(&as_citra, &budi_plan.id).unwrap();
    assert_eq!(revision.penilai_id.as_deref(), Some(citra.as_str()));
    assert_eq!(
        paya.sync().rejected,
        0,
        "the revision reaches the hub as Paya Pasir's"
    );
}
