//! The SIASN riwayat kursus names the kind of course by SIASN's own jenis diklat reference (BKN,
//! `jenisDiklatId`), not by the route label of Peraturan LAN 10/2018; leadership training belongs
//! to riwayat diklat struktural. Every route's mapping, row by row.

use pelita_core::training::siasn::{jenis_diklat, JENIS_DIKLAT};
use pelita_core::training::Route;

#[test]
fn every_lan_route_maps_to_its_siasn_jenis_diklat() {
    let table: [(&str, Option<(u8, &str)>); 25] = [
        ("Pelatihan Struktural Kepemimpinan", None),
        ("Pelatihan Manajerial", Some((5, "Pelatihan Manajerial"))),
        ("Pelatihan Teknis", Some((3, "Diklat Teknis"))),
        ("Pelatihan Fungsional", Some((2, "Diklat Fungsional"))),
        ("Pelatihan Sosial Kultural", Some((6, "Pelatihan Sosial Kultural"))),
        ("Seminar/Konferensi/Sarasehan", Some((9, "Seminar"))),
        ("Workshop atau Lokakarya", Some((4, "Workshop"))),
        ("Kursus", Some((11, "Kursus"))),
        ("Penataran", Some((12, "Penataran"))),
        ("Bimbingan Teknis", Some((8, "Bimbingan Teknis"))),
        ("Sosialisasi", Some((7, "Sosialisasi"))),
        (
            "Jalur klasikal lainnya",
            Some((13, "Pengembangan Kompetensi Dalam Bentuk Pelatihan Klasikal Lainnya")),
        ),
        ("Coaching", Some((14, "Coaching"))),
        ("Mentoring", Some((15, "Mentoring"))),
        ("E-learning", Some((16, "E-Learning"))),
        ("Pelatihan Jarak Jauh", Some((17, "Pelatihan Jarak Jauh"))),
        ("Detasering (Secondment)", Some((18, "Detasering (Secondment)"))),
        (
            "Pembelajaran Alam Terbuka (Outbond)",
            Some((19, "Pembelajaran Alam Terbuka (Outbond)")),
        ),
        ("Patok Banding (Benchmarking)", Some((20, "Patok Banding (Benchmarking)"))),
        (
            "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD",
            Some((
                21,
                "Pertukaran Antara PNS Dengan Pegawai Swasta/Badan Usaha Milik Negara/Badan Usaha Milik Daerah",
            )),
        ),
        (
            "Belajar Mandiri (Self Development)",
            Some((22, "Belajar Mandiri (Self Development)")),
        ),
        (
            "Komunitas Belajar (Community of Practices)",
            Some((23, "Komunitas Belajar (Community of Practices)")),
        ),
        ("Bimbingan di tempat kerja", Some((24, "Bimbingan di Tempat Kerja"))),
        ("Magang/praktik kerja", Some((10, "Magang"))),
        (
            "Jalur nonklasikal lainnya",
            Some((25, "Pengembangan Kompetensi Dalam Bentuk Pelatihan Nonklasikal Lainnya")),
        ),
    ];
    assert_eq!(table.len(), Route::ALL.len(), "every route has its row");
    for (label, expected) in table {
        let route = Route::parse(label).unwrap_or_else(|| panic!("{label} is a route"));
        assert_eq!(
            jenis_diklat(route).map(|j| (j.id, j.nama)),
            expected,
            "{label}"
        );
    }
}

#[test]
fn the_reference_is_siasn_s_ids_in_order_and_no_two_routes_share_one() {
    let ids: Vec<u8> = JENIS_DIKLAT.iter().map(|j| j.id).collect();
    assert_eq!(ids, (1..=25).collect::<Vec<u8>>());
    let mut used: Vec<u8> = Route::ALL
        .iter()
        .filter_map(|r| jenis_diklat(*r))
        .map(|j| j.id)
        .collect();
    used.sort_unstable();
    let count = used.len();
    used.dedup();
    assert_eq!(used.len(), count, "two routes report as one jenis diklat");
    // Diklat Struktural (1) is riwayat diklat struktural's, never a kursus.
    assert!(!used.contains(&1));
}
