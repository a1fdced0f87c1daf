//! The district model behind `tests/sync_district.rs`: its operations (`Op`), what each does on
//! the laptops and the hub (`District::apply`), how everyone settles, and what a week must end in
//! (`week`). A module of that one test binary (a folder, so Cargo does not build it on its own).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::support::link::{Link, LinkSpec};
use crate::support::{appraisal_form, employee_input, lurah, Hub, Laptop, PW};
use pelita_core::appraisal::{Period, Rating};
use pelita_core::training::{Method, Route, SessionInput, TrainingInput, REACTION_ITEMS};
use pelita_store::{Resolution, Store, TrainingQuery};
use proptest::prelude::*;

mod ops;
pub use ops::{op, Op};

const OFFICES: [&str; 4] = ["TERJUN", "TERJUN", "PAYA-PASIR", "KEC-MARELAN"];
pub const HQ: usize = 3;
const NAMES: [&str; 4] = ["Ani", "Budi", "Citra", "Dedi"];
const JABATAN: [&str; 3] = ["Pelaksana", "Kasi Pemerintahan", "Sekretaris Lurah"];
const RATINGS: [Rating; 3] = [Rating::DiAtas, Rating::Sesuai, Rating::DiBawah];

fn nip(n: u32) -> String {
    format!("19950505202012100{n}")
}

pub fn held(l: &mut Laptop, n: u32) -> Option<pelita_store::EmployeeRow> {
    let admin = l.admin.clone();
    let query = pelita_store::EmployeeQuery {
        active: None,
        ..Default::default()
    };
    l.store
        .list_employees(&admin, &query)
        .unwrap()
        .into_iter()
        .find(|e| e.nip == nip(n))
}

/// The `t`-th training laptop `l` holds (by id), if it holds that many.
fn training_at(l: &mut Laptop, t: usize) -> Option<String> {
    let admin = l.admin.clone();
    let mut ids: Vec<String> = l
        .store
        .list_trainings(&admin, &TrainingQuery::default())
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    ids.sort();
    ids.into_iter().nth(t)
}

/// A refusal the store gives a person (the laptop's office may not do this, or the record does
/// not allow it): fine in the model, as long as it says so.
fn refused_here(e: &pelita_store::StoreError) -> bool {
    matches!(
        e,
        pelita_store::StoreError::Validation(_)
            | pelita_store::StoreError::PermissionDenied(_)
            | pelita_store::StoreError::NotFound(_)
    )
}

fn allowed<T>(what: pelita_store::Result<T>) {
    if let Err(e) = what {
        assert!(refused_here(&e), "{e}");
    }
}

pub struct District {
    dir: tempfile::TempDir,
    /// None only while it restarts.
    hub: Option<Hub>,
    link: Link,
    pub laptops: Vec<Laptop>,
    paths: Vec<PathBuf>,
    backups: Vec<Option<PathBuf>>,
    files: u32,
    /// Devices of which some copy was restored or replaced: a conflict that copy met and did not
    /// carry over may stay open at the hub.
    restored: BTreeSet<String>,
    revoked: BTreeSet<String>,
}

impl District {
    fn new(seed: u64) -> District {
        let dir = tempfile::tempdir().unwrap();
        let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
        let link = Link::start(
            &hub.url,
            LinkSpec {
                cut_between: Some((1_500, 40_000)),
                seed,
                ..LinkSpec::clean()
            },
        );
        let mut laptops = Vec::new();
        let mut paths = Vec::new();
        for (i, office) in OFFICES.iter().enumerate() {
            let mut l = Laptop::new(dir.path(), &format!("laptop-{i}"), office);
            let code = hub.code_for(office);
            let admin = l.admin.clone();
            pelita_sync::enroll(&mut l.store, &admin, &link.url, &code, office).unwrap();
            laptops.push(l);
            paths.push(dir.path().join(format!("laptop-{i}.sqlite")));
        }
        District {
            dir,
            hub: Some(hub),
            link,
            laptops,
            paths,
            backups: vec![None; 4],
            files: 0,
            restored: BTreeSet::new(),
            revoked: BTreeSet::new(),
        }
    }

    fn hub(&self) -> &Hub {
        self.hub.as_ref().expect("the hub runs")
    }

    fn device(&self, r: usize) -> String {
        self.laptops[r]
            .store
            .sync_enrolment()
            .unwrap()
            .unwrap()
            .device_id
    }

    fn file(&mut self, what: &str) -> PathBuf {
        self.files += 1;
        self.dir.path().join(format!("{what}-{}", self.files))
    }

    /// One sync run; a failure must be one a retry can fix.
    fn sync(&mut self, r: usize) -> bool {
        match pelita_sync::run(&mut self.laptops[r].store, &Default::default()) {
            Ok(_) => true,
            Err(e) => {
                assert!(!e.is_permanent(), "laptop {r} stopped syncing: {e}");
                false
            }
        }
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Register { r, n } => {
                let l = &mut self.laptops[r];
                if held(l, n).is_none() {
                    let office = if r == HQ { "TERJUN" } else { OFFICES[r] };
                    // Employee 1 is the Lurah, the atasan of whoever joins their office after.
                    let atasan = held(l, 1)
                        .filter(|a| n != 1 && a.office_code == office)
                        .map(|a| a.id);
                    let input = pelita_core::employee::EmployeeInput {
                        nip: nip(n),
                        name: NAMES[n as usize - 1].into(),
                        atasan_id: atasan,
                        ..employee_input(office)
                    };
                    let admin = l.admin.clone();
                    // Refused when the NIP is another office's (a colleague who moved here).
                    allowed(l.store.create_employee(&admin, &input));
                }
            }
            Op::Edit { r, n, jabatan } => {
                let l = &mut self.laptops[r];
                if let Some(e) = held(l, n) {
                    let admin = l.admin.clone();
                    let mut input = e.to_input();
                    input.jabatan = JABATAN[jabatan].into();
                    if let Err(e) = l.store.update_employee(&admin, &e.id, e.version, &input) {
                        assert!(refused_here(&e), "{e}");
                    }
                }
            }
            Op::Transfer { r, n, to_paya } => {
                let l = &mut self.laptops[r];
                let (to, other) = if to_paya {
                    ("PAYA-PASIR", "TERJUN")
                } else {
                    ("TERJUN", "PAYA-PASIR")
                };
                let input = pelita_core::mutasi::MutasiInput {
                    nip: nip(n),
                    employee_name: NAMES[n as usize - 1].into(),
                    // Asked for by the receiving office, the colleague is the other's.
                    from_office_id: (held(l, n).is_none() && OFFICES[r] == to)
                        .then(|| pelita_core::office::office_id(other)),
                    to_office_id: pelita_core::office::office_id(to),
                    tmt: pelita_store::clock::local_today().to_string(),
                    sk_number: if r == HQ {
                        "800/1/2026".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                };
                let admin = l.admin.clone();
                // Refused when it is not the laptop's to record (or n still heads an office).
                allowed(l.store.record_mutasi(&admin, &input));
            }
            Op::Decide { approve } => {
                let l = &mut self.laptops[HQ];
                let admin = l.admin.clone();
                // Read again after each decision: approving one request for a person answers the
                // other offices' waiting requests for them too, as a person sees on the page.
                let mut tried = std::collections::HashSet::new();
                while let Some(t) = l.store.mutasi_list(&admin).unwrap().into_iter().find(|t| {
                    t.status == pelita_core::mutasi::MutasiStatus::Diajukan
                        && !tried.contains(&t.id)
                }) {
                    tried.insert(t.id.clone());
                    let decided = if approve {
                        let approval = pelita_store::MutasiApproval {
                            sk_number: "800/2/2026".into(),
                            atasan_id: None,
                        };
                        l.store.approve_mutasi(&admin, &t.id, t.version, &approval)
                    } else {
                        l.store
                            .reject_mutasi(&admin, &t.id, t.version, "SK belum terbit")
                    };
                    allowed(decided);
                }
            }
            Op::Sync { r } => {
                self.sync(r);
            }
            Op::Bundle { r, times, order } => {
                let (to_hub, _) = pelita_sync::bundle::export(&self.laptops[r].store).unwrap();
                let hub = self.hub().admin();
                let answers: Vec<Vec<u8>> = (0..times)
                    .map(|_| pelita_hub::bundle::import(&*hub, &to_hub).unwrap().1)
                    .collect();
                let chosen: Vec<&Vec<u8>> = match order {
                    0 => answers.iter().collect(),
                    1 => answers.iter().rev().collect(),
                    _ => answers.last().into_iter().collect(), // the others lost
                };
                let admin = self.laptops[r].admin.clone();
                for answer in chosen {
                    pelita_sync::bundle::import(&mut self.laptops[r].store, &admin, answer)
                        .unwrap();
                }
            }
            Op::Backup { r } => {
                let file = self.file("cadangan");
                let admin = self.laptops[r].admin.clone();
                self.laptops[r].store.backup(&admin, &file).unwrap();
                self.backups[r] = Some(file);
            }
            Op::Plan { r } => {
                let l = &mut self.laptops[r];
                let office = l.office_code.clone();
                let admin = l.admin.clone();
                let input = TrainingInput {
                    title: format!("Pelatihan laptop {r}"),
                    theme: "Pelayanan Publik".into(),
                    route: Route::BimbinganTeknis,
                    method: Method::implied_by(Route::BimbinganTeknis),
                    organiser: office.clone(),
                    owner_office_id: pelita_core::office::office_id(&office),
                    location: "Aula".into(),
                    start_date: "2026-11-02".into(),
                    end_date: "2026-11-03".into(),
                    sessions: ["2026-11-02", "2026-11-03"]
                        .iter()
                        .map(|d| SessionInput {
                            date: (*d).into(),
                            start_time: "08:00".into(),
                            end_time: "12:00".into(),
                        })
                        .collect(),
                    jp: 8,
                    capacity: 3,
                    certificate: true,
                    completion_share: 100,
                    objectives: Vec::new(),
                };
                allowed(l.store.create_training(&admin, &input));
            }
            Op::Enrol { r, t, n } => {
                let l = &mut self.laptops[r];
                if let (Some(t), Some(e)) = (training_at(l, t), held(l, n)) {
                    let admin = l.admin.clone();
                    allowed(l.store.enrol(&admin, &t, &e.id));
                }
            }
            Op::Reaction {
                r,
                t,
                n,
                named,
                score,
            } => {
                let l = &mut self.laptops[r];
                if let (Some(t), Some(e)) = (training_at(l, t), held(l, n)) {
                    let admin = l.admin.clone();
                    let scores = vec![score; REACTION_ITEMS.len()];
                    let who = named.then_some(e.id.as_str());
                    allowed(l.store.record_reaction(&admin, &t, who, &scores));
                }
            }
            Op::Scores { r, t, n, post } => {
                let l = &mut self.laptops[r];
                if let (Some(t), Some(e)) = (training_at(l, t), held(l, n)) {
                    let admin = l.admin.clone();
                    let (pre, post) = (Some(50.0), Some(f64::from(post)));
                    allowed(l.store.set_test_scores(&admin, &t, &e.id, pre, post));
                }
            }
            Op::Appraise { r, n, hasil, sign } => {
                let l = &mut self.laptops[r];
                let (Some(e), Some(lurah)) = (held(l, n), lurah(l, &nip(1))) else {
                    return;
                };
                let form = appraisal_form(&e.id, RATINGS[hasil]);
                let period = pelita_store::PeriodRef {
                    year: 2026,
                    period: Period::TriwulanI,
                    month: None,
                };
                let line = match l.store.appraisal_roster(&lurah, &period) {
                    Ok(lines) => lines.into_iter().find(|line| line.employee.id == e.id),
                    Err(e) => return assert!(refused_here(&e), "{e}"),
                };
                let draft = match line.and_then(|line| line.appraisal_id) {
                    None => l.store.save_appraisal(&lurah, None, 0, &form),
                    Some(id) => match l.store.appraisal(&lurah, &id) {
                        Ok(a) if a.status == pelita_store::AppraisalStatus::Draft => {
                            l.store.save_appraisal(&lurah, Some(&id), a.version, &form)
                        }
                        Ok(_) => return, // signed already
                        Err(e) => return assert!(refused_here(&e), "{e}"),
                    },
                };
                match draft {
                    Ok(a) if sign => {
                        allowed(l.store.finalize_appraisal(&lurah, &a.id, a.version, PW));
                    }
                    other => allowed(other),
                }
            }
            Op::PowerCut { r } => {
                // Whatever the process held in memory is gone; only what it committed counts.
                let (store, admin) = Store::unlock(&self.paths[r], "admin", PW).unwrap();
                self.laptops[r].store = store;
                self.laptops[r].admin = admin;
            }
            Op::HubRestart => {
                let db = self.hub().db.clone();
                // The old process is gone before the new one opens the database.
                drop(self.hub.take());
                let hub = Hub::start(&db).unwrap();
                self.link.retarget(&hub.url);
                self.hub = Some(hub);
            }
            Op::Restore { r, from } => {
                let Some(file) = self.backups[from].clone() else {
                    return;
                };
                if OFFICES[r] != OFFICES[from] {
                    return;
                }
                let old = self.device(r);
                self.restored.insert(old.clone());
                if r == from {
                    let admin = self.laptops[r].admin.clone();
                    self.laptops[r].store.restore(&admin, &file).unwrap();
                } else {
                    // Laptop r is replaced: a new machine restored from the other's backup.
                    let path = self.file("pengganti").with_extension("sqlite");
                    let (store, admin) = Store::restore_new(&path, &file, "admin", PW).unwrap();
                    self.laptops[r].store = store;
                    self.laptops[r].admin = admin;
                    self.paths[r] = path;
                    // Its own old backups are of a database that no longer exists.
                    self.backups[r] = None;
                    // The old machine is revoked at the hub, unless another laptop is a copy
                    // of it (restored from its backup) and still syncs with its token.
                    if (0..4).all(|i| self.device(i) != old) {
                        self.hub().admin().revoke(&old).unwrap();
                        self.revoked.insert(old);
                    }
                }
            }
        }
    }

    /// The week starts from a register: Terjun has its Lurah (employee 1) and Budi, Paya Pasir
    /// has Citra, the Kantor Camat has a district training, and everyone has synced.
    fn first_day(&mut self) {
        for op in [
            Op::Register { r: 0, n: 1 },
            Op::Register { r: 0, n: 2 },
            Op::Register { r: 2, n: 3 },
            Op::Plan { r: HQ },
            Op::Plan { r: 0 },
        ] {
            self.apply(&op);
        }
        for r in 0..4 {
            while !self.sync(r) {}
        }
    }

    /// Everyone syncs until it succeeds, and settles what it is shown, a few times over.
    fn settle(&mut self) {
        for round in 0..4 {
            for r in 0..4 {
                let mut tries = 0;
                while !self.sync(r) {
                    tries += 1;
                    assert!(tries < 50, "laptop {r} never got through");
                }
                if round == 3 {
                    continue;
                }
                let l = &mut self.laptops[r];
                let admin = l.admin.clone();
                let how = if r == 0 {
                    Resolution::KeepMine
                } else {
                    Resolution::KeepTheirs
                };
                for c in l.store.sync_conflicts(&admin).unwrap() {
                    // Refused, with the reason, so the person takes the other version: a signed
                    // appraisal dropped for a hub draft; an employee moved away since (not ours).
                    if let Err(e) = l.store.resolve_conflict(&admin, &c.mutation_id, &how) {
                        assert!(
                            refused_here(&e)
                                && ["appraisal", "employee"].contains(&c.entity.as_str()),
                            "{e}"
                        );
                        let other = match how {
                            Resolution::KeepMine => Resolution::KeepTheirs,
                            _ => Resolution::KeepMine,
                        };
                        l.store
                            .resolve_conflict(&admin, &c.mutation_id, &other)
                            .unwrap();
                    }
                }
                for x in l.store.sync_rejections(&admin).unwrap() {
                    l.store.discard_rejected(&admin, &x.mutation_id).unwrap();
                }
            }
        }
    }
}

/// Runs `ops` from the first day, lets everyone settle, and checks what the model promises.
pub fn week(ops: &[Op], seed: u64) -> Result<(), TestCaseError> {
    week_then(ops, seed, |_| {})
}

/// As [`week`], looking at the district (`then`) after the operations, before everyone settles.
pub fn week_then(ops: &[Op], seed: u64, then: impl Fn(&mut District)) -> Result<(), TestCaseError> {
    let mut district = District::new(seed);
    district.first_day();
    for op in ops {
        district.apply(op);
    }
    then(&mut district);
    district.settle();
    for (r, office) in OFFICES.iter().enumerate() {
        let l = &district.laptops[r];
        let s = l.store.sync_status().unwrap();
        prop_assert_eq!(
            (s.pending, s.open_conflicts, s.rejected),
            (0, 0, 0),
            "laptop {}",
            r
        );
        let hub_sum = district.hub().admin().checksum_for(office).unwrap();
        prop_assert_eq!(
            l.store.sync_checksum().unwrap(),
            hub_sum,
            "laptop {} ({})",
            r,
            office
        );
    }
    // The hub's own list: what is still open was met by a copy a restore took away.
    let hub = district.hub().admin();
    for c in hub.overview().unwrap().conflicts {
        prop_assert!(
            !district.revoked.contains(&c.device_id),
            "open for a revoked laptop: {:?}",
            c
        );
        prop_assert!(
            district.restored.contains(&c.device_id),
            "open at the hub alone: {:?}",
            c
        );
        hub.close_conflict(&c.mutation_id).unwrap();
    }
    prop_assert_eq!(hub.status().unwrap().pending_conflicts, 0);
    Ok(())
}
