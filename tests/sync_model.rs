//! A property test of sync: three replicas (two laptops of Kelurahan Terjun and the HQ) make
//! random changes and sync in random order through one hub. After everyone syncs and the
//! conflicts are settled, every replica holds exactly the same rows. 24 cases in `make test`;
//! `PROPTEST_CASES=200` runs 200 (the `proptest!` macro lays the variable over the config below).

mod support;

use pelita_store::Resolution;
use proptest::prelude::*;
use support::{Hub, Laptop};

#[derive(Debug, Clone)]
enum Op {
    /// Register NIP number `n` (1–5) at replica `r`, unless it holds it already.
    Create {
        r: usize,
        n: u32,
    },
    /// Change the jabatan of NIP number `n` at replica `r`, if it holds it.
    Edit {
        r: usize,
        n: u32,
        jabatan: usize,
    },
    Sync {
        r: usize,
    },
}

const NAMES: [&str; 5] = ["Ani", "Budi", "Citra", "Dedi", "Eka"];
const JABATAN: [&str; 4] = [
    "Pelaksana",
    "Kasi Pemerintahan",
    "Kasi Trantib",
    "Sekretaris Lurah",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 1..=5u32).prop_map(|(r, n)| Op::Create { r, n }),
        (0..3usize, 1..=5u32, 0..4usize).prop_map(|(r, n, jabatan)| Op::Edit { r, n, jabatan }),
        (0..3usize).prop_map(|r| Op::Sync { r }),
    ]
}

fn held(l: &mut Laptop, n: u32) -> Option<pelita_store::EmployeeRow> {
    let admin = l.admin.clone();
    let nip = format!("19950505202012100{n}");
    l.store
        .list_employees(&admin, &Default::default())
        .unwrap()
        .into_iter()
        .find(|e| e.nip == nip)
}

/// The first laptop's people keep their own version; everyone else takes the hub's.
fn settle(l: &mut Laptop, keep_mine: bool) {
    let admin = l.admin.clone();
    let how = if keep_mine {
        Resolution::KeepMine
    } else {
        Resolution::KeepTheirs
    };
    for c in l.store.sync_conflicts(&admin).unwrap() {
        l.store
            .resolve_conflict(&admin, &c.mutation_id, &how)
            .unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn replicas_converge_whatever_the_order(ops in prop::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
        let mut replicas = [
            Laptop::new(dir.path(), "terjun-1", "TERJUN"),
            Laptop::new(dir.path(), "terjun-2", "TERJUN"),
            Laptop::new(dir.path(), "hq", "KEC-MARELAN"),
        ];
        for l in replicas.iter_mut() {
            l.enrol(&hub);
        }
        for op in &ops {
            match *op {
                Op::Create { r, n } => {
                    if held(&mut replicas[r], n).is_none() {
                        // The HQ registers Terjun staff too: every replica holds every row.
                        let office = "TERJUN";
                        replicas[r].add_employee_of(n, NAMES[n as usize - 1], office);
                    }
                }
                Op::Edit { r, n, jabatan } => {
                    if let Some(e) = held(&mut replicas[r], n) {
                        let admin = replicas[r].admin.clone();
                        let mut input = e.to_input();
                        input.jabatan = JABATAN[jabatan].into();
                        replicas[r].store.update_employee(&admin, &e.id, e.version, &input).unwrap();
                    }
                }
                Op::Sync { r } => {
                    replicas[r].sync();
                }
            }
        }
        // Everyone syncs and settles what conflicted, until all is sent.
        for _ in 0..3 {
            for (i, l) in replicas.iter_mut().enumerate() {
                l.sync();
                settle(l, i == 0);
            }
        }
        for l in replicas.iter_mut() {
            l.sync();
        }
        let sums: Vec<String> = replicas.iter().map(|l| l.store.sync_checksum().unwrap()).collect();
        prop_assert_eq!(&sums[0], &sums[1]);
        prop_assert_eq!(&sums[0], &sums[2]);
        for l in &replicas {
            let s = l.store.sync_status().unwrap();
            prop_assert_eq!((s.pending, s.open_conflicts, s.rejected), (0, 0, 0));
        }
    }
}
