//! The effect analysis' selection rules on data built so that every wrong rule gives another
//! number: trained = a training completed between 1 April and 30 September of the year (its
//! theme and route when the filter names them); before = the Triwulan I appraisal that counts,
//! after = the Triwulan IV-Akhir one (the last signed version of its amendment chain, never a
//! draft). Every other period carries other figures, and each training stands just inside or
//! just outside the window.

use pelita_analysis::{Analysis, EffectFilter};
use pelita_core::appraisal::form::AppraisalInput;
use pelita_core::appraisal::{Period, Rating};
use pelita_core::auth::Actor;
use pelita_core::office::office_id;
use pelita_core::reference::EmploymentStatus;
use pelita_core::training::{AbsenceReason, AttendanceStatus, Route, TrainingStatus};
use pelita_stats::effect::Measure;
use pelita_store::{Appraisal, AttendanceEntry, EmployeeRow, Training};

use crate::common::appraisal::{form, Office, PW};
use crate::common::training::{present, training};

use Rating::{DiAtas, DiBawah, Sesuai};

/// The eight active staff of Kelurahan Terjun, by post.
struct Staff {
    lurah: EmployeeRow,
    sekretaris: EmployeeRow,
    pemerintahan: EmployeeRow,
    trantib: EmployeeRow,
    pembangunan: EmployeeRow,
    kesos: EmployeeRow,
    pelaksana: EmployeeRow,
    pppk: EmployeeRow,
}

impl Staff {
    fn of(o: &Office) -> Staff {
        let post = |jabatan: &str| o.find(|e| e.office_code == "TERJUN" && e.jabatan == jabatan);
        let pelaksana = |pppk: bool| {
            o.find(|e| {
                e.office_code == "TERJUN"
                    && e.jabatan == "Pelaksana"
                    && (e.status == EmploymentStatus::Pppk) == pppk
            })
        };
        Staff {
            lurah: post("Lurah"),
            sekretaris: post("Sekretaris Lurah"),
            pemerintahan: post("Kasi Pemerintahan"),
            trantib: post("Kasi Ketenteraman dan Ketertiban Umum"),
            pembangunan: post("Kasi Pembangunan / Pemberdayaan Masyarakat"),
            kesos: post("Kasi Kesejahteraan Sosial"),
            pelaksana: pelaksana(false),
            pppk: pelaksana(true),
        }
    }
}

/// One employee's line of the analysis, without the controls (the register's, not at issue).
#[derive(Debug, PartialEq)]
struct Line {
    who: String,
    before: Option<Measure>,
    after: Option<Measure>,
    trained: bool,
    untrained: bool,
    jp: f64,
}

/// Someone with no appraisal that counts and no training completed in the year.
fn nothing(e: &EmployeeRow) -> Line {
    Line {
        who: format!("{} {}", e.nip, e.jabatan),
        before: None,
        after: None,
        trained: false,
        untrained: true,
        jp: 0.0,
    }
}

/// The lines `effect_people` gives for Terjun under `filter`. A `Person` carries no id: it is
/// paired with its employee by the order the analysis reads them in (office code, then NIP),
/// and the pairing is checked against the controls a `Person` does carry.
fn lines(o: &mut Office, filter: &EffectFilter) -> Vec<Line> {
    let admin = o.admin.clone();
    let people = o.store.effect_people(&admin, filter).unwrap();
    let mut staff: Vec<EmployeeRow> = o
        .everyone
        .iter()
        .filter(|e| e.office_code == "TERJUN" && e.active)
        .cloned()
        .collect();
    staff.sort_by(|a, b| a.nip.cmp(&b.nip));
    assert_eq!(people.len(), staff.len(), "one line per active employee");
    staff
        .iter()
        .zip(people)
        .map(|(e, p)| {
            let controls: Vec<(&str, &str)> = p
                .controls
                .iter()
                .skip(1)
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(
                controls,
                [
                    ("jenis_jabatan", e.jenis_jabatan.label()),
                    ("kantor", "TERJUN")
                ],
                "the line in {}'s place is theirs",
                e.nip
            );
            Line {
                before: p.before,
                after: p.after,
                trained: p.trained,
                untrained: p.untrained,
                jp: p.jp,
                ..nothing(e)
            }
        })
        .collect()
}

/// `expected`, in the analysis' order.
fn in_order(mut expected: Vec<Line>) -> Vec<Line> {
    expected.sort_by(|a, b| a.who.cmp(&b.who));
    expected
}

fn terjun(year: i32) -> EffectFilter {
    EffectFilter {
        year,
        office_id: Some(office_id("TERJUN")),
        ..Default::default()
    }
}

// ---- Trainings ----

/// A training of Terjun of `jp` JP with one session on each of `dates`, `people` enrolled.
fn planned(
    o: &mut Office,
    dates: &[&str],
    (theme, route): (&str, Route),
    jp: u32,
    people: &[&EmployeeRow],
) -> Training {
    let admin = o.admin.clone();
    let mut input = training(dates[0], dates[dates.len() - 1], dates, 30);
    input.title = format!("{theme} {}", dates[0]);
    input.theme = theme.into();
    input.route = route;
    input.jp = jp;
    let t = o.store.create_training(&admin, &input).unwrap();
    for e in people {
        o.store.enrol(&admin, &t.id, &e.id).unwrap();
    }
    t
}

/// Marks `attended` present and `absent` absent (Alpa) at every session, then closes the
/// training with `status`.
fn close(
    o: &mut Office,
    t: &Training,
    attended: &[&EmployeeRow],
    absent: &[&EmployeeRow],
    status: TrainingStatus,
) {
    let admin = o.admin.clone();
    for session in &t.session_ids {
        let mut entries: Vec<AttendanceEntry> = attended.iter().map(|e| present(e)).collect();
        entries.extend(absent.iter().map(|e| AttendanceEntry {
            employee_id: e.id.clone(),
            status: AttendanceStatus::Alpa,
            reason: Some(AbsenceReason::TugasKantor),
            note: String::new(),
        }));
        o.store
            .record_attendance(&admin, session, &entries)
            .unwrap();
    }
    let version = o.store.training(&admin, &t.id).unwrap().version;
    o.store
        .set_training_status(&admin, &t.id, version, status)
        .unwrap();
}

/// A training held and finished: `attended` completed it, `absent` did not.
fn finished(
    o: &mut Office,
    dates: &[&str],
    (kind, jp): ((&str, Route), u32),
    attended: &[&EmployeeRow],
    absent: &[&EmployeeRow],
) {
    let everyone: Vec<&EmployeeRow> = attended.iter().chain(absent).copied().collect();
    let t = planned(o, dates, kind, jp, &everyone);
    close(o, &t, attended, absent, TrainingStatus::Selesai);
}

// Themes and routes cross, so that a filter on one cannot pass for a filter on the other.
const PELAYANAN: &str = "Pelayanan Publik";
const PELAYANAN_BIMTEK: (&str, Route) = (PELAYANAN, Route::BimbinganTeknis);
const PELAYANAN_TEKNIS: (&str, Route) = (PELAYANAN, Route::Teknis);
const ADMINISTRASI_TEKNIS: (&str, Route) = ("Administrasi Perkantoran", Route::Teknis);

#[test]
fn only_a_training_completed_from_april_to_september_makes_someone_trained() {
    let mut o = Office::new();
    let s = Staff::of(&o);
    // The window's first day: the Sekretaris completes it, a Pelaksana misses it.
    finished(
        &mut o,
        &["2026-04-01"],
        (PELAYANAN_BIMTEK, 8),
        &[&s.sekretaris],
        &[&s.pelaksana],
    );
    // The window's last day.
    finished(
        &mut o,
        &["2026-09-30"],
        (ADMINISTRASI_TEKNIS, 6),
        &[&s.pemerintahan],
        &[],
    );
    // The day before the window: JP of the year, not trained (the Sekretaris took it too).
    finished(
        &mut o,
        &["2026-03-31"],
        (PELAYANAN_BIMTEK, 5),
        &[&s.sekretaris, &s.trantib],
        &[],
    );
    // The day after the window.
    finished(
        &mut o,
        &["2026-10-01"],
        (ADMINISTRASI_TEKNIS, 7),
        &[&s.pembangunan],
        &[],
    );
    // Begins inside the window and ends after it.
    finished(
        &mut o,
        &["2026-09-29", "2026-10-01"],
        (PELAYANAN_TEKNIS, 9),
        &[&s.kesos],
        &[],
    );
    // The year before: inside that year's window, nothing of this year's.
    finished(
        &mut o,
        &["2025-04-15"],
        (PELAYANAN_BIMTEK, 4),
        &[&s.lurah],
        &[],
    );
    // Called off in June, after the PPPK Pelaksana had attended its one session.
    let called_off = planned(&mut o, &["2026-06-10"], PELAYANAN_BIMTEK, 10, &[&s.pppk]);
    close(
        &mut o,
        &called_off,
        &[&s.pppk],
        &[],
        TrainingStatus::Dibatalkan,
    );
    // Raw SQL, because no operation completes a participant of a cancelled training (only
    // finishing a training decides completion, and JP diakui is set only after that) — yet sync
    // applies a training's row and its participations' rows one by one, so such rows may meet on
    // a laptop (one laptop finishing the training, another cancelling it, the conflict settled
    // for the cancellation), and they must still count nothing.
    let tampered = o
        .store
        .connection()
        .execute(
            "UPDATE participation SET completed = 1, jp_diakui = 10 WHERE training_id = ?1",
            [&called_off.id],
        )
        .unwrap();
    assert_eq!(tampered, 1);

    let trained = |e: &EmployeeRow, jp: f64| Line {
        trained: true,
        untrained: false,
        jp,
        ..nothing(e)
    };
    let only_jp = |e: &EmployeeRow, jp: f64| Line {
        untrained: false,
        jp,
        ..nothing(e)
    };
    assert_eq!(
        lines(&mut o, &terjun(2026)),
        in_order(vec![
            trained(&s.sekretaris, 13.0),
            trained(&s.pemerintahan, 6.0),
            only_jp(&s.trantib, 5.0),
            only_jp(&s.pembangunan, 7.0),
            only_jp(&s.kesos, 9.0),
            nothing(&s.pelaksana),
            nothing(&s.pppk),
            nothing(&s.lurah),
        ]),
        "2026, every theme and route"
    );

    // A theme: trained and JP by that theme's trainings; untrained still means no training at all.
    let theme = EffectFilter {
        theme: Some(PELAYANAN.into()),
        ..terjun(2026)
    };
    assert_eq!(
        lines(&mut o, &theme),
        in_order(vec![
            trained(&s.sekretaris, 13.0),
            only_jp(&s.pemerintahan, 0.0),
            only_jp(&s.trantib, 5.0),
            only_jp(&s.pembangunan, 0.0),
            only_jp(&s.kesos, 9.0),
            nothing(&s.pelaksana),
            nothing(&s.pppk),
            nothing(&s.lurah),
        ]),
        "2026, theme {PELAYANAN}"
    );

    // A route, likewise.
    let route = EffectFilter {
        route: Some(Route::Teknis),
        ..terjun(2026)
    };
    assert_eq!(
        lines(&mut o, &route),
        in_order(vec![
            only_jp(&s.sekretaris, 0.0),
            trained(&s.pemerintahan, 6.0),
            only_jp(&s.trantib, 0.0),
            only_jp(&s.pembangunan, 7.0),
            only_jp(&s.kesos, 9.0),
            nothing(&s.pelaksana),
            nothing(&s.pppk),
            nothing(&s.lurah),
        ]),
        "2026, route Pelatihan Teknis"
    );

    // The window is the filter's year's: in 2025 only the Lurah was trained.
    assert_eq!(
        lines(&mut o, &terjun(2025)),
        in_order(vec![
            trained(&s.lurah, 4.0),
            nothing(&s.sekretaris),
            nothing(&s.pemerintahan),
            nothing(&s.trantib),
            nothing(&s.pembangunan),
            nothing(&s.kesos),
            nothing(&s.pelaksana),
            nothing(&s.pppk),
        ]),
        "2025"
    );
}

// ---- Appraisals ----

/// A form for `p` of 2026 whose predicate follows from the two ratings and whose one work
/// result reaches `realisasi` of a target of 100 (so capaian = realisasi / 100).
fn rated(
    e: &EmployeeRow,
    p: Period,
    month: Option<u32>,
    (hasil, perilaku): (Rating, Rating),
    realisasi: f64,
) -> AppraisalInput {
    let mut input = form(e, p, hasil, perilaku);
    input.month = month;
    input.items.truncate(1);
    input.items[0].target = 100.0;
    input.items[0].realisasi = Some(realisasi);
    input
}

/// What the analysis should read from a form made by [`rated`] whose predicate scores `score`.
fn measure(score: f64, realisasi: f64) -> Option<Measure> {
    Some(Measure {
        score,
        capaian: Some(realisasi / 100.0),
    })
}

fn draft(o: &mut Office, penilai: &Actor, input: &AppraisalInput) -> Appraisal {
    o.store.save_appraisal(penilai, None, 0, input).unwrap()
}

fn sign(o: &mut Office, penilai: &Actor, a: &Appraisal) -> Appraisal {
    o.store
        .finalize_appraisal(penilai, &a.id, a.version, PW)
        .unwrap()
}

/// An amendment of the signed `a` with `input` as its content, still a draft.
fn amendment(o: &mut Office, penilai: &Actor, a: &Appraisal, input: &AppraisalInput) -> Appraisal {
    let started = o.store.amend_appraisal(penilai, &a.id).unwrap();
    o.store
        .save_appraisal(penilai, Some(&started.id), started.version, input)
        .unwrap()
}

#[test]
fn before_is_the_triwulan_i_and_after_the_triwulan_iv_akhir_that_count() {
    use Period::{Bulanan, Tahunan, TriwulanI, TriwulanII, TriwulanIII, TriwulanIVAkhir};
    let mut o = Office::new();
    let s = Staff::of(&o);
    // The Lurah appraises the Sekretaris and the four Kasi.
    let lurah = o.account("lurah", &s.lurah);
    let signed = |o: &mut Office, input: &AppraisalInput| {
        let a = draft(o, &lurah, input);
        sign(o, &lurah, &a)
    };
    let quarter = |e: &EmployeeRow, p, ratings, realisasi| rated(e, p, None, ratings, realisasi);

    // Every period signed, each with its own predicate and capaian (scores 1, 4, 3, 2, 5, 4, 3).
    for (period, month, ratings, realisasi) in [
        (Bulanan, Some(2), (DiBawah, DiBawah), 50.0),
        (TriwulanI, None, (Sesuai, Sesuai), 80.0),
        (TriwulanII, None, (DiBawah, Sesuai), 90.0),
        (TriwulanIII, None, (DiAtas, DiBawah), 95.0),
        (TriwulanIVAkhir, None, (DiAtas, DiAtas), 110.0),
        (Tahunan, None, (Sesuai, DiAtas), 105.0),
        (Bulanan, Some(10), (DiBawah, DiAtas), 70.0),
    ] {
        let input = rated(&s.sekretaris, period, month, ratings, realisasi);
        signed(&mut o, &input);
    }

    // Triwulan I signed, its amendment signed, a second amendment left a draft: the first
    // amendment counts. Triwulan IV-Akhir only a draft: no after, although Triwulan III is signed.
    let kasi = &s.pemerintahan;
    let first = signed(&mut o, &quarter(kasi, TriwulanI, (DiBawah, DiBawah), 60.0));
    let corrected = amendment(
        &mut o,
        &lurah,
        &first,
        &quarter(kasi, TriwulanI, (DiAtas, Sesuai), 85.0),
    );
    let corrected = sign(&mut o, &lurah, &corrected);
    let again = quarter(kasi, TriwulanI, (DiAtas, DiAtas), 120.0);
    amendment(&mut o, &lurah, &corrected, &again);
    signed(&mut o, &quarter(kasi, TriwulanIII, (DiBawah, Sesuai), 70.0));
    draft(
        &mut o,
        &lurah,
        &quarter(kasi, TriwulanIVAkhir, (Sesuai, Sesuai), 90.0),
    );

    // Triwulan IV-Akhir signed, then a draft amendment: the signed one still counts.
    let kasi = &s.trantib;
    signed(&mut o, &quarter(kasi, TriwulanI, (Sesuai, Sesuai), 75.0));
    let last = signed(
        &mut o,
        &quarter(kasi, TriwulanIVAkhir, (DiBawah, Sesuai), 65.0),
    );
    let again = quarter(kasi, TriwulanIVAkhir, (DiAtas, DiAtas), 130.0);
    amendment(&mut o, &lurah, &last, &again);

    // Only the periods that do not count: neither before nor after.
    for (period, ratings, realisasi) in [
        (TriwulanII, (Sesuai, Sesuai), 88.0),
        (TriwulanIII, (DiAtas, DiAtas), 99.0),
        (Tahunan, (DiBawah, Sesuai), 77.0),
    ] {
        signed(&mut o, &quarter(&s.pembangunan, period, ratings, realisasi));
    }

    let appraised = |e: &EmployeeRow, before: Option<Measure>, after: Option<Measure>| Line {
        before,
        after,
        ..nothing(e)
    };
    assert_eq!(
        lines(&mut o, &terjun(2026)),
        in_order(vec![
            appraised(&s.sekretaris, measure(4.0, 80.0), measure(5.0, 110.0)),
            appraised(&s.pemerintahan, measure(4.0, 85.0), None),
            appraised(&s.trantib, measure(4.0, 75.0), measure(3.0, 65.0)),
            nothing(&s.pembangunan),
            nothing(&s.kesos),
            nothing(&s.pelaksana),
            nothing(&s.pppk),
            nothing(&s.lurah),
        ]),
        "2026"
    );
    // The year is the filter's: nothing of 2026 counts in 2025.
    assert!(
        lines(&mut o, &terjun(2025))
            .iter()
            .all(|l| l.before.is_none() && l.after.is_none()),
        "no appraisal of 2026 counts in 2025"
    );
}
