// The first run of a laptop.
import type { Texts } from "./index";

export const setup = {
  "firstrun.title": { id: "Selamat datang di Pelita", en: "Welcome to Pelita" },
  "firstrun.body": {
    id: "Pilih kantor tempat laptop ini digunakan. Data yang dicatat di laptop ini menjadi milik kantor tersebut.",
    en: "Choose the office this laptop belongs to. What is recorded on this laptop belongs to that office.",
  },
  "firstrun.office": { id: "Kantor", en: "Office" },
  "firstrun.choose": { id: "— pilih kantor —", en: "— choose an office —" },
  "firstrun.demo": {
    id: "Muat data contoh Kecamatan Medan Marelan (46 pegawai dengan dua tahun pelatihan dan penilaian kinerja, untuk mencoba aplikasi)",
    en: "Load the Kecamatan Medan Marelan sample data (46 employees with two years of training and appraisals, for trying the app)",
  },
  "firstrun.start": { id: "Mulai", en: "Start" },
  "firstrun.restoreInstead": { id: "Atau pulihkan dari berkas cadangan", en: "Or restore from a backup file" },
  "firstrun.hubInstead": { id: "Sambungkan ke hub kecamatan", en: "Connect to the district hub" },
  "firstrun.hubTitle": { id: "Sambungkan ke hub kecamatan", en: "Connect to the district hub" },
  "firstrun.hubBody": {
    id: "Minta kode sekali pakai kepada admin hub di Kantor Camat. Kantor laptop ini ditentukan oleh kode itu; data pegawai kantor dan pelatihan kecamatan diambil dari hub, tidak perlu diketik lagi.",
    en: "Ask the hub admin at the Kantor Camat for a one-time code. The code decides this laptop's office; the office's staff and the district's trainings come from the hub, nothing to type again.",
  },
  "firstrun.hubUrl": { id: "Alamat hub", en: "Hub address" },
  "firstrun.hubCode": { id: "Kode pendaftaran", en: "Enrolment code" },
  "firstrun.hubNext": { id: "Lanjut", en: "Next" },
} satisfies Texts;
