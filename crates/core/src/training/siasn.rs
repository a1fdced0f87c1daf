//! SIASN's own *jenis diklat* reference (BKN; the `jenisDiklatId` of a riwayat kursus), and the
//! table that maps each LAN 10/2018 route to it. A riwayat kursus sent to SIASN names the kind of
//! course by SIASN's id, not by the LAN route label. Leadership training (Pelatihan Struktural
//! Kepemimpinan) is not a kursus: SIASN keeps it in riwayat diklat struktural, so it maps to none.
//!
//! The reference as BKN's SIASN publishes it (ids 1–25); the same list appears in several public
//! SIASN integrations, which agree id for id.

use crate::training::Route;

/// One entry of SIASN's jenis diklat reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JenisDiklat {
    pub id: u8,
    pub nama: &'static str,
}

const fn jd(id: u8, nama: &'static str) -> JenisDiklat {
    JenisDiklat { id, nama }
}

/// SIASN's jenis diklat, by id.
pub const JENIS_DIKLAT: [JenisDiklat; 25] = [
    jd(1, "Diklat Struktural"),
    jd(2, "Diklat Fungsional"),
    jd(3, "Diklat Teknis"),
    jd(4, "Workshop"),
    jd(5, "Pelatihan Manajerial"),
    jd(6, "Pelatihan Sosial Kultural"),
    jd(7, "Sosialisasi"),
    jd(8, "Bimbingan Teknis"),
    jd(9, "Seminar"),
    jd(10, "Magang"),
    jd(11, "Kursus"),
    jd(12, "Penataran"),
    jd(13, "Pengembangan Kompetensi Dalam Bentuk Pelatihan Klasikal Lainnya"),
    jd(14, "Coaching"),
    jd(15, "Mentoring"),
    jd(16, "E-Learning"),
    jd(17, "Pelatihan Jarak Jauh"),
    jd(18, "Detasering (Secondment)"),
    jd(19, "Pembelajaran Alam Terbuka (Outbond)"),
    jd(20, "Patok Banding (Benchmarking)"),
    jd(21, "Pertukaran Antara PNS Dengan Pegawai Swasta/Badan Usaha Milik Negara/Badan Usaha Milik Daerah"),
    jd(22, "Belajar Mandiri (Self Development)"),
    jd(23, "Komunitas Belajar (Community of Practices)"),
    jd(24, "Bimbingan di Tempat Kerja"),
    jd(25, "Pengembangan Kompetensi Dalam Bentuk Pelatihan Nonklasikal Lainnya"),
];

/// The SIASN jenis diklat a training of `route` is reported as in riwayat kursus; `None` for
/// leadership training, which goes to riwayat diklat struktural.
pub fn jenis_diklat(route: Route) -> Option<JenisDiklat> {
    let id = match route {
        Route::StrukturalKepemimpinan => return None,
        Route::Fungsional => 2,
        Route::Teknis => 3,
        Route::Workshop => 4,
        Route::Manajerial => 5,
        Route::SosialKultural => 6,
        Route::Sosialisasi => 7,
        Route::BimbinganTeknis => 8,
        Route::Seminar => 9,
        Route::Magang => 10,
        Route::Kursus => 11,
        Route::Penataran => 12,
        Route::KlasikalLainnya => 13,
        Route::Coaching => 14,
        Route::Mentoring => 15,
        Route::ELearning => 16,
        Route::JarakJauh => 17,
        Route::Detasering => 18,
        Route::AlamTerbuka => 19,
        Route::PatokBanding => 20,
        Route::PertukaranPns => 21,
        Route::BelajarMandiri => 22,
        Route::KomunitasBelajar => 23,
        Route::BimbinganTempatKerja => 24,
        Route::NonklasikalLainnya => 25,
    };
    JENIS_DIKLAT.iter().copied().find(|j| j.id == id)
}
