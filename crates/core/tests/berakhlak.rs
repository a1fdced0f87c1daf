//! The seven BerAKHLAK core values and their panduan perilaku exactly as SE MenPANRB 20/2021
//! (Implementasi Core Values dan Employer Branding ASN) words them: the appraisal form shows them
//! beside each behaviour rating, so a paraphrase is a wrong official text.

use pelita_core::appraisal::CoreValue;

/// SE MenPANRB 20/2021, lampiran: the value, then its three panduan perilaku, verbatim.
const SE_20_2021: [(&str, [&str; 3]); 7] = [
    (
        "Berorientasi Pelayanan",
        [
            "memahami dan memenuhi kebutuhan masyarakat",
            "ramah, cekatan, solutif, dan dapat diandalkan",
            "melakukan perbaikan tiada henti",
        ],
    ),
    (
        "Akuntabel",
        [
            "melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "tidak menyalahgunakan kewenangan jabatan",
        ],
    ),
    (
        "Kompeten",
        [
            "meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "membantu orang lain belajar",
            "melaksanakan tugas dengan kualitas terbaik",
        ],
    ),
    (
        "Harmonis",
        [
            "menghargai setiap orang apapun latar belakangnya",
            "suka menolong orang lain",
            "membangun lingkungan kerja yang kondusif",
        ],
    ),
    (
        "Loyal",
        [
            "memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI dan pemerintahan yang sah",
            "menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "menjaga rahasia jabatan dan negara",
        ],
    ),
    (
        "Adaptif",
        [
            "cepat menyesuaikan diri menghadapi perubahan",
            "terus berinovasi dan mengembangkan kreativitas",
            "bertindak proaktif",
        ],
    ),
    (
        "Kolaboratif",
        [
            "memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ],
    ),
];

#[test]
fn the_panduan_perilaku_are_worded_as_se_menpanrb_20_2021() {
    assert_eq!(CoreValue::ALL.len(), SE_20_2021.len());
    for (value, (label, guides)) in CoreValue::ALL.into_iter().zip(SE_20_2021) {
        assert_eq!(value.label(), label);
        assert_eq!(value.guides(), guides, "{label}");
    }
}
