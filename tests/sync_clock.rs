//! Device clocks decide nothing (DESIGN §5): the same story — two offices, the HQ, two laptops of
//! one office editing one employee, a conflict settled — played with every clock right and again
//! with the laptops' clocks a year fast or a year slow ends in the same hub rows (apart from the
//! time stamps the laptops wrote, and the day an atasan changed, which is the changing laptop's
//! day like any date recorded there), the same conflicts, and the same sync figures at every step.

mod support;

use chrono::Duration;
use pelita_store::{clock, Resolution};
use support::{Hub, Laptop};

/// What a run ends with, and what each step reported.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// (entity, row id, version, payload without its `*_at` stamps), in hub sequence order.
    hub_rows: Vec<(String, String, i64, serde_json::Value)>,
    /// (pushed, pulled, conflicts, rejected) of every sync, in order.
    steps: Vec<(u32, u32, u32, u32)>,
    conflicts_at_hub: i64,
}

fn without_stamps(mut payload: serde_json::Value) -> serde_json::Value {
    if let Some(fields) = payload.as_object_mut() {
        fields.retain(|k, _| !k.ends_with("_at"));
        // The atasan history keeps its order and its atasan; only its days follow the clock.
        if let Some(log) = fields.get_mut("atasan_log") {
            let mut entries: serde_json::Value =
                serde_json::from_str(log.as_str().unwrap_or("[]")).unwrap();
            for e in entries.as_array_mut().into_iter().flatten() {
                e.as_object_mut().unwrap().remove("valid_from");
            }
            *log = entries;
        }
    }
    payload
}

/// The laptops, each on its own clock.
struct World {
    laptops: [Laptop; 4],
    skews: [Duration; 4],
    steps: Vec<(u32, u32, u32, u32)>,
}

impl World {
    /// Laptop `k`, with the clock set to its own for whatever is done with it next.
    fn at(&mut self, k: usize) -> &mut Laptop {
        clock::set_skew(self.skews[k]);
        &mut self.laptops[k]
    }

    fn sync(&mut self, k: usize) {
        let r = self.at(k).sync();
        self.steps
            .push((r.pushed, r.pulled, r.conflicts, r.rejected));
    }
}

/// Runs the story with each laptop's clock `skews` off (terjun-1, terjun-2, paya, hq).
/// Also returns the years the laptops stamped rows with (to show the clocks really were off).
fn story(skews: [Duration; 4]) -> (Outcome, std::collections::BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let laptops = [
        Laptop::new(dir.path(), "terjun-1", "TERJUN"),
        Laptop::new(dir.path(), "terjun-2", "TERJUN"),
        Laptop::new(dir.path(), "paya", "PAYA-PASIR"),
        Laptop::new(dir.path(), "hq", "KEC-MARELAN"),
    ];
    let mut world = World {
        laptops,
        skews,
        steps: Vec::new(),
    };
    for k in 0..4 {
        world.at(k).enrol(&hub);
    }
    let ani = world.at(0).add_employee(1, "Ani Terjun");
    world.at(0).add_employee(2, "Budi Terjun");
    world.at(2).add_employee(3, "Citra Paya Pasir");
    world.at(3).add_employee(4, "Dedi Kantor Camat");
    for k in [0, 2, 3, 1] {
        world.sync(k);
    }
    // Both Terjun laptops change Ani; terjun-1's clock says its change is a year newer (or
    // older) than terjun-2's: irrelevant, the one that reaches the hub second conflicts.
    for (k, jabatan) in [(1, "Kasi Trantib"), (0, "Kasi Pemerintahan")] {
        world.at(k).set_jabatan(&ani.id, jabatan);
    }
    world.at(1).add_employee(5, "Eka Terjun");
    world.sync(1);
    world.sync(0);
    let laptop = world.at(0);
    let admin = laptop.admin.clone();
    let conflict = laptop.store.sync_conflicts(&admin).unwrap().remove(0);
    laptop
        .store
        .resolve_conflict(&admin, &conflict.mutation_id, &Resolution::KeepMine)
        .unwrap();
    for _ in 0..2 {
        for k in [0, 1, 2, 3] {
            world.sync(k);
        }
    }
    clock::set_skew(Duration::zero());

    // Everyone holds what the hub holds for them.
    let admin_view = hub.admin();
    for (laptop, office) in world.laptops.iter().zip(["TERJUN", "TERJUN", "PAYA-PASIR"]) {
        assert_eq!(
            laptop.store.sync_checksum().unwrap(),
            admin_view.checksum_for(office).unwrap()
        );
    }
    let db = rusqlite::Connection::open(&hub.db).unwrap();
    let mut stmt = db
        .prepare("SELECT entity, row_id, version, payload FROM row ORDER BY seq")
        .unwrap();
    let mut years = std::collections::BTreeSet::new();
    let hub_rows = stmt
        .query_map([], |r| {
            let payload: serde_json::Value = serde_json::from_str(&r.get::<_, String>(3)?).unwrap();
            if let Some(at) = payload["updated_at"].as_str() {
                years.insert(at[..4].to_string());
            }
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, without_stamps(payload)))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    let conflicts_at_hub = db
        .query_row("SELECT count(*) FROM conflict", [], |r| r.get(0))
        .unwrap();
    let outcome = Outcome {
        hub_rows,
        steps: world.steps,
        conflicts_at_hub,
    };
    (outcome, years)
}

#[test]
fn laptop_clocks_a_year_off_change_nothing() {
    let (right, years) = story([Duration::zero(); 4]);
    let this_year = chrono::Utc::now().format("%Y").to_string();
    assert!(years.len() == 1 && years.contains(&this_year), "{years:?}");
    assert_eq!(right.conflicts_at_hub, 1, "the story makes one conflict");
    assert!(right
        .hub_rows
        .iter()
        .any(|(_, _, _, p)| p["jabatan"] == "Kasi Pemerintahan"));
    assert!(right
        .hub_rows
        .iter()
        .all(|(_, _, _, p)| p.get("updated_at").is_none()));
    let year = Duration::days(365);
    for skews in [[year, -year, year, -year], [-year, year, -year, year]] {
        let (skewed, years) = story(skews);
        assert_eq!(skewed, right);
        assert!(years.len() >= 2 && !years.contains(&this_year), "{years:?}");
    }
}
