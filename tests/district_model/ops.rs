//! What happens in a district's week, as the model draws it: the operations (`Op`) and their
//! strategy (`op`).

use proptest::prelude::*;

use super::HQ;

#[derive(Debug, Clone)]
pub enum Op {
    /// Laptop `r` registers employee `n` (NIPs 1–4) for its own office (the HQ: for Terjun).
    Register {
        r: usize,
        n: u32,
    },
    Edit {
        r: usize,
        n: u32,
        jabatan: usize,
    },
    /// Laptop `r` records a transfer (mutasi) of employee `n` to Terjun (false) or Paya Pasir
    /// (true): the Kantor Camat's takes effect at once; a kelurahan's (out of its office, or a
    /// request for a colleague from the other) waits for the Kantor Camat's decision.
    Transfer {
        r: usize,
        n: u32,
        to_paya: bool,
    },
    /// The Kantor Camat approves (or refuses) every transfer waiting on its laptop.
    Decide {
        approve: bool,
    },
    Sync {
        r: usize,
    },
    /// A bundle to the hub, imported there `times` (1–2); the answers come back in `order`.
    Bundle {
        r: usize,
        times: usize,
        order: u8,
    },
    Backup {
        r: usize,
    },
    /// Laptop `r` restored from the latest backup of laptop `from` (same office).
    Restore {
        r: usize,
        from: usize,
    },
    /// Laptop `r` plans a training of its office (the Kantor Camat's: the district's).
    Plan {
        r: usize,
    },
    /// Laptop `r` enrols employee `n` into the `t`-th training it holds (its own or another's).
    Enrol {
        r: usize,
        t: usize,
        n: u32,
    },
    /// An L1 questionnaire: of participant `n`, or anonymous.
    Reaction {
        r: usize,
        t: usize,
        n: u32,
        named: bool,
        score: u8,
    },
    /// L2: participant `n`'s pre- and post-test scores.
    Scores {
        r: usize,
        t: usize,
        n: u32,
        post: u8,
    },
    /// On laptop `r`, employee 1 (the Lurah, atasan of everyone registered after them in the same
    /// office) appraises employee `n` for Triwulan I 2026, and signs it when `sign`.
    Appraise {
        r: usize,
        n: u32,
        hasil: usize,
        sign: bool,
    },
    /// The laptop's power goes: its process ends between two operations, and it is signed in again.
    PowerCut {
        r: usize,
    },
    /// The hub process restarts (on another port; the link keeps its address).
    HubRestart,
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        // Employee 1 (the Lurah) is registered early in most runs.
        4 => (0..4usize, prop_oneof![1 => Just(1u32), 3 => 1..=4u32]).prop_map(|(r, n)| Op::Register { r, n }),
        3 => (0..4usize, 1..=4u32, 0..3usize).prop_map(|(r, n, jabatan)| Op::Edit { r, n, jabatan }),
        2 => (prop_oneof![1 => Just(HQ), 2 => 0..3usize], 1..=4u32, any::<bool>())
            .prop_map(|(r, n, to_paya)| Op::Transfer { r, n, to_paya }),
        1 => any::<bool>().prop_map(|approve| Op::Decide { approve }),
        4 => (0..4usize).prop_map(|r| Op::Sync { r }),
        1 => (0..4usize, 1..=2usize, 0..3u8).prop_map(|(r, times, order)| Op::Bundle { r, times, order }),
        1 => (0..4usize).prop_map(|r| Op::Backup { r }),
        1 => (0..4usize, 0..2usize).prop_map(|(r, from)| Op::Restore { r, from }),
        1 => (0..4usize).prop_map(|r| Op::Plan { r }),
        3 => (0..4usize, 0..3usize, 1..=4u32).prop_map(|(r, t, n)| Op::Enrol { r, t, n }),
        2 => (0..4usize, 0..3usize, 1..=4u32, any::<bool>(), 1..=5u8)
            .prop_map(|(r, t, n, named, score)| Op::Reaction { r, t, n, named, score }),
        1 => (0..4usize, 0..3usize, 1..=4u32, 0..=100u8)
            .prop_map(|(r, t, n, post)| Op::Scores { r, t, n, post }),
        3 => (0..4usize, 2..=4u32, 0..3usize, any::<bool>())
            .prop_map(|(r, n, hasil, sign)| Op::Appraise { r, n, hasil, sign }),
        1 => (0..4usize).prop_map(|r| Op::PowerCut { r }),
        1 => Just(Op::HubRestart),
    ]
}
