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

    // At the Kantor Camat: the Camat's plan, signed alone (the head of the chain).
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
    assert_eq!(terjun.sync().rejected, 0);
    hq.sync();
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
