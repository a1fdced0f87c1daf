//! `make bench-analysis`: HQ-scale data (50,000 employees, 500,000 attendance marks, 20,000
//! appraisals, 10,000 study answer sheets) and the time of what the Analisis page, the JP
//! dashboard and the Studi Pengaruh results ask of the store, with the demo district measured in
//! the same run as a baseline. Prints figures; asserts nothing.

use std::time::Instant;

use pelita_analysis::{Analysis, EffectFilter, ResultOptions};
use pelita_store::{Setup, Store};

const YEAR: i32 = 2025;

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    println!("{what:<52} {:>9.3} s", started.elapsed().as_secs_f64());
    out
}

fn store(dir: &std::path::Path, name: &str, demo: bool) -> (Store, pelita_core::auth::Actor) {
    Store::create(
        dir.join(format!("{name}.sqlite")),
        &Setup {
            office_code: "KEC-MARELAN".into(),
            load_demo: demo,
            username: "admin".into(),
            full_name: "Admin Kecamatan".into(),
            password: "Sandi-Bench-Analisis-1".into(),
        },
    )
    .expect("a new database")
}

fn measure(label: &str, store: &mut Store, admin: &pelita_core::auth::Actor) {
    let all = EffectFilter {
        year: YEAR,
        ..Default::default()
    };
    println!("{label}");
    let report = timed("  effect analysis (whole district)", || {
        store.effect_analysis(admin, &all).expect("effect")
    });
    println!(
        "    {} employees, {} trained, {} untrained, paired n = {}",
        report.employees, report.trained, report.untrained, report.paired_score.n
    );
    timed("  JP dashboard: JP per employee + 20 JP shares", || {
        store.jp_report(admin, YEAR, None).expect("jp");
        store.jp_shares(admin, YEAR).expect("shares")
    });
    timed("  participation summary + breakdown", || {
        store
            .participation_summary(admin, YEAR, None)
            .expect("summary");
        store
            .participation_breakdown(admin, YEAR)
            .expect("breakdown")
    });
    timed("  Analisis page (everything in one call)", || {
        store.analysis_overview(admin, &all).expect("overview")
    });
    let study = store.list_instruments(admin).expect("instruments")[0].clone();
    let results = timed("  Studi Pengaruh results (all tables)", || {
        store
            .survey_results(admin, &study.id, &ResultOptions::default())
            .expect("results")
    });
    println!(
        "    {} answer sheets, {} tables",
        results.n,
        results.tables.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (mut demo, demo_admin) = timed("create the demo district (baseline)", || {
        store(dir.path(), "demo", true)
    });
    measure(
        "demo district (45 employees, two years)",
        &mut demo,
        &demo_admin,
    );

    let (mut hq, admin) = store(dir.path(), "hq", false);
    let counts = timed("generate HQ-scale data", || {
        hq.bench_fill(2025, YEAR, 50_000, 500_000, 20_000)
            .expect("bench data")
    });
    println!(
        "    {} employees, {} trainings, {} participations, {} attendance marks, {} appraisals",
        counts.employees,
        counts.trainings,
        counts.participations,
        counts.attendance,
        counts.appraisals
    );
    timed("generate 10,000 study answer sheets", || {
        hq.bench_survey(&admin, 2025, 10_000).expect("bench sheets")
    });
    measure("HQ scale", &mut hq, &admin);
}
