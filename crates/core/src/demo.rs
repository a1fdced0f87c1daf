//! A realistic, deterministic demo register for Kecamatan Medan Marelan: every office staffed
//! along the real chain of command (Camat → Lurah → Sekretaris Lurah/Kasi → Pelaksana), valid NIPs.
//! The names are invented.

use chrono::NaiveDate;

use crate::employee::sheet::EmployeeSheetRow;
use crate::nip::{compose_pns, compose_pppk, Sex};
use crate::office::{HQ_CODE, SEED};
use crate::reference::{EmploymentStatus, InactiveReason, JenisJabatan};

const NAMES: [(&str, Sex); 48] = [
    ("Ahmad Fauzi Lubis", Sex::Male),
    ("Siti Aisyah Nasution", Sex::Female),
    ("Rahmat Hidayat Siregar", Sex::Male),
    ("Nurhayati Harahap", Sex::Female),
    ("Budi Santoso", Sex::Male),
    ("Dewi Sartika Pane", Sex::Female),
    ("Muhammad Irfan Daulay", Sex::Male),
    ("Rina Marlina Tanjung", Sex::Female),
    ("Hendra Gunawan Sitorus", Sex::Male),
    ("Yusnaini Batubara", Sex::Female),
    ("Zulkifli Rangkuti", Sex::Male),
    ("Fitri Handayani", Sex::Female),
    ("Syahrial Pulungan", Sex::Male),
    ("Maya Sari Simatupang", Sex::Female),
    ("Indra Kusuma Hasibuan", Sex::Male),
    ("Lailan Syafrina Matondang", Sex::Female),
    ("Darwin Panjaitan", Sex::Male),
    ("Erna Wati Sembiring", Sex::Female),
    ("Joko Prasetyo", Sex::Male),
    ("Nur Aini Ritonga", Sex::Female),
    ("Ridwan Saragih", Sex::Male),
    ("Sri Wahyuni", Sex::Female),
    ("Taufik Hidayat Manurung", Sex::Male),
    ("Ratna Dewi Ginting", Sex::Female),
    ("Fadli Azhari Nainggolan", Sex::Male),
    ("Khairunnisa Lubis", Sex::Female),
    ("Agus Salim Damanik", Sex::Male),
    ("Herlina Situmorang", Sex::Female),
    ("Bambang Sutrisno", Sex::Male),
    ("Ika Purnamasari Tarigan", Sex::Female),
    ("Arif Rahman Hakim", Sex::Male),
    ("Melati Sihombing", Sex::Female),
    ("Surya Darma Purba", Sex::Male),
    ("Nova Yanti Hutagalung", Sex::Female),
    ("Rizky Ananda Pohan", Sex::Male),
    ("Wulan Sari Dalimunthe", Sex::Female),
    ("Amiruddin Harahap", Sex::Male),
    ("Juliana Sinaga", Sex::Female),
    ("Eko Wahyudi", Sex::Male),
    ("Desi Ratnasari Siagian", Sex::Female),
    ("Mhd. Yusuf Nasution", Sex::Male),
    ("Putri Ramadhani", Sex::Female),
    ("Edi Syahputra Tambunan", Sex::Male),
    ("Rosmawati Silalahi", Sex::Female),
    ("Faisal Reza Hutapea", Sex::Male),
    ("Yuliana Marpaung", Sex::Female),
    ("Heri Kurniawan", Sex::Male),
    ("Anggraini Saputri", Sex::Female),
];

/// One position to staff: jabatan, jenis, status, golongan, gelar, atasan (index into the same office,
/// or `None` = the office head's own atasan).
struct Post {
    jabatan: &'static str,
    jenis: JenisJabatan,
    status: EmploymentStatus,
    golongan: &'static str,
    gelar_belakang: &'static str,
    atasan: Option<usize>,
}

const fn post(
    jabatan: &'static str,
    jenis: JenisJabatan,
    status: EmploymentStatus,
    golongan: &'static str,
    gelar_belakang: &'static str,
    atasan: Option<usize>,
) -> Post {
    Post {
        jabatan,
        jenis,
        status,
        golongan,
        gelar_belakang,
        atasan,
    }
}

use EmploymentStatus::{Cpns, Pns, Pppk};
use JenisJabatan::{Fungsional, Pelaksana, Struktural};

const HQ_POSTS: [Post; 6] = [
    post("Camat", Struktural, Pns, "IV/b", "S.STP, M.Si.", None),
    post(
        "Sekretaris Camat",
        Struktural,
        Pns,
        "IV/a",
        "S.Sos., M.AP.",
        Some(0),
    ),
    post(
        "Kasi Pemerintahan",
        Struktural,
        Pns,
        "III/d",
        "S.H.",
        Some(0),
    ),
    post(
        "Analis Kebijakan Ahli Muda",
        Fungsional,
        Pns,
        "III/c",
        "S.E.",
        Some(1),
    ),
    post(
        "Pengadministrasi Perkantoran",
        Pelaksana,
        Pns,
        "II/c",
        "",
        Some(1),
    ),
    post(
        "Pranata Komputer",
        Pelaksana,
        Pppk,
        "VII",
        "A.Md.Kom.",
        Some(1),
    ),
];

const KELURAHAN_POSTS: [Post; 8] = [
    post("Lurah", Struktural, Pns, "III/d", "S.STP", None),
    post(
        "Sekretaris Lurah",
        Struktural,
        Pns,
        "III/c",
        "S.Sos.",
        Some(0),
    ),
    post(
        "Kasi Pemerintahan",
        Struktural,
        Pns,
        "III/b",
        "S.H.",
        Some(0),
    ),
    post(
        "Kasi Ketenteraman dan Ketertiban Umum",
        Struktural,
        Pns,
        "III/b",
        "",
        Some(0),
    ),
    post(
        "Kasi Pembangunan / Pemberdayaan Masyarakat",
        Struktural,
        Pns,
        "III/c",
        "S.T.",
        Some(0),
    ),
    post(
        "Kasi Kesejahteraan Sosial",
        Struktural,
        Pns,
        "III/a",
        "S.Sos.",
        Some(0),
    ),
    post("Pelaksana", Pelaksana, Pns, "II/b", "", Some(1)),
    post("Pelaksana", Pelaksana, Pppk, "V", "", Some(1)),
];

/// The demo register: 6 staff at the Kantor Camat and 8 in each kelurahan (46 in all), in an order
/// where every atasan comes before their reports. One Pelaksana per kelurahan of odd index is a CPNS,
/// and one has retired, so every status and the inactive state appear.
pub fn demo_employees() -> Vec<EmployeeSheetRow> {
    let mut out: Vec<EmployeeSheetRow> = Vec::new();
    let mut n = 0usize;
    let mut camat_nip = String::new();
    for (office_index, (code, _, _)) in SEED.iter().enumerate() {
        let posts: &[Post] = if *code == HQ_CODE {
            &HQ_POSTS
        } else {
            &KELURAHAN_POSTS
        };
        let mut nips: Vec<String> = Vec::new();
        for (i, p) in posts.iter().enumerate() {
            let (name, sex) = NAMES[n % NAMES.len()];
            // Seniority follows golongan: heads are older, Pelaksana younger.
            let senior = matches!(p.golongan.split('/').next(), Some("IV"));
            let birth_year = if senior { 1970 } else { 1978 } + (n % 13) as i32;
            let birth =
                NaiveDate::from_ymd_opt(birth_year, (n % 12) as u32 + 1, (n % 27) as u32 + 1)
                    .expect("valid demo date");
            let mut status = p.status;
            let mut golongan = p.golongan;
            if p.jabatan == "Pelaksana" && status == Pns && office_index % 2 == 1 {
                status = Cpns;
                golongan = "II/a";
            }
            let seq = (n + 1) as u16;
            let nip = match status {
                Pppk => compose_pppk(birth, 2022 + (n % 3) as i32, 1, sex, seq),
                Cpns => compose_pns(birth, 2025, 1, sex, seq),
                Pns => compose_pns(birth, birth_year + 24, (n % 12) as u32 + 1, sex, seq),
            };
            let atasan_nip = match p.atasan {
                Some(k) => Some(nips[k].clone()),
                None if *code == HQ_CODE => None,
                None => Some(camat_nip.clone()),
            };
            let retired = office_index == 3 && i == 6;
            out.push(EmployeeSheetRow {
                nip: nip.clone(),
                gelar_depan: if i == 0 && senior {
                    "Drs.".into()
                } else {
                    String::new()
                },
                name: name.into(),
                gelar_belakang: p.gelar_belakang.into(),
                birth_date: Some(birth.format("%Y-%m-%d").to_string()),
                sex: Some(sex),
                status,
                golongan: golongan.into(),
                jabatan: p.jabatan.into(),
                jenis_jabatan: p.jenis,
                office_code: (*code).into(),
                atasan_nip,
                active: !retired,
                inactive_reason: retired.then_some(InactiveReason::Pensiun),
                note: if retired {
                    "Pensiun atas permintaan sendiri".into()
                } else {
                    String::new()
                },
                // A PPPK works on a five-year perjanjian kerja from March of their TMT year.
                contract_start: (status == Pppk)
                    .then(|| format!("{}-03-01", 2022 + (n % 3) as i32)),
                contract_end: (status == Pppk).then(|| format!("{}-02-28", 2027 + (n % 3) as i32)),
            });
            if *code == HQ_CODE && i == 0 {
                camat_nip = nip.clone();
            }
            nips.push(nip);
            n += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::employee::sheet::{header_cells, parse_table};
    use std::collections::HashSet;

    #[test]
    fn demo_register_is_valid_and_complete() {
        let demo = demo_employees();
        assert!(demo.len() >= 40);
        let mut table = vec![header_cells()];
        table.extend(demo.iter().map(|e| e.to_cells()));
        let (rows, errors) = parse_table(&table);
        assert_eq!(errors, vec![]);
        assert_eq!(rows.len(), demo.len());

        let nips: HashSet<_> = demo.iter().map(|e| e.nip.as_str()).collect();
        assert_eq!(nips.len(), demo.len(), "NIPs are unique");
        let offices: HashSet<_> = demo.iter().map(|e| e.office_code.as_str()).collect();
        assert_eq!(offices.len(), 6);
        for e in &demo {
            if let Some(a) = &e.atasan_nip {
                assert!(nips.contains(a.as_str()), "atasan of {} exists", e.name);
            }
        }
        for status in EmploymentStatus::ALL {
            assert!(
                demo.iter().any(|e| e.status == status),
                "{status:?} present"
            );
        }
        assert!(demo.iter().any(|e| !e.active));
    }
}
