// The app's name, the sidebar and the words every page uses.
import type { Texts } from "./index";

export const common = {
  "app.name": { id: "Pelita", en: "Pelita" },
  "app.tagline": { id: "Pencatatan pelatihan dan kinerja ASN", en: "Civil-servant training and performance records" },
  "nav.employees": { id: "Pegawai", en: "Employees" },
  "nav.trainings": { id: "Pelatihan", en: "Training" },
  "nav.appraisals": { id: "Penilaian Kinerja", en: "Performance Appraisal" },
  "nav.analysis": { id: "Analisis", en: "Analysis" },
  "nav.sync": { id: "Sinkronisasi", en: "Synchronisation" },
  "nav.mutasi": { id: "Mutasi", en: "Transfers" },
  "nav.settings": { id: "Pengaturan", en: "Settings" },
  "common.loading": { id: "Memuat…", en: "Loading…" },
  "common.save": { id: "Simpan", en: "Save" },
  "common.cancel": { id: "Batal", en: "Cancel" },
  "common.close": { id: "Tutup", en: "Close" },
  "common.back": { id: "Kembali", en: "Back" },
  "common.yes": { id: "Ya", en: "Yes" },
  "common.no": { id: "Tidak", en: "No" },
  "common.all": { id: "Semua", en: "All" },
  "common.error": { id: "Terjadi kesalahan", en: "Something went wrong" },
  "unavailable.title": { id: "Belum tersedia", en: "Not available yet" },
  "unavailable.body": {
    id: "Halaman {page} belum tersedia pada versi ini. Data pegawai sudah dapat dikelola di halaman Pegawai.",
    en: "The {page} page is not available in this version yet. Employee records can already be managed on the Employees page.",
  },
  "nav.audit": { id: "Log Audit", en: "Audit Log" },
  "nav.users": { id: "Pengguna", en: "Users" },
  "nav.study": { id: "Studi Pengaruh", en: "Impact Study" },
} satisfies Texts;
