// The Analisis page: descriptives and the effect of training on performance.
import type { Texts } from "./index";

export const analysis = {
  "analysis.allThemes": { id: "Semua tema", en: "All themes" },
  "analysis.route": { id: "Jalur", en: "Route" },
  "analysis.allRoutes": { id: "Semua jalur", en: "All routes" },
  "analysis.allStatuses": { id: "Semua status", en: "All statuses" },
  "analysis.loading": { id: "Menghitung…", en: "Calculating…" },
  "analysis.effect": { id: "Pengaruh pelatihan terhadap kinerja", en: "Effect of training on performance" },
  "analysis.design": {
    id: "{employees} pegawai; {trained} mengikuti pelatihan April–September; {untrained} tidak mengikuti pelatihan sama sekali tahun itu. Sebelum = penilaian Triwulan I, sesudah = Triwulan IV-Akhir (yang sudah Final). Skor predikat: Sangat Kurang 1 … Sangat Baik 5.",
    en: "{employees} employees; {trained} trained April–September; {untrained} not trained at all that year. Before = Triwulan I appraisal, after = Triwulan IV-Akhir (Final ones). Predicate score: Sangat Kurang 1 … Sangat Baik 5.",
  },
  "analysis.comparison": { id: "Perbandingan", en: "Comparison" },
  "analysis.estimate": { id: "Estimasi", en: "Estimate" },
  "analysis.test": { id: "Uji", en: "Test" },
  "analysis.pairedScore": { id: "Sebelum/sesudah — skor predikat", en: "Before/after — predicate score" },
  "analysis.pairedCapaian": { id: "Sebelum/sesudah — capaian", en: "Before/after — capaian" },
  "analysis.didScore": {
    id: "Terlatih vs tidak (selisih-dari-selisih) — skor predikat",
    en: "Trained vs not (difference-in-differences) — predicate score",
  },
  "analysis.didCapaian": {
    id: "Terlatih vs tidak (selisih-dari-selisih) — capaian",
    en: "Trained vs not (difference-in-differences) — capaian",
  },
  "analysis.regressionSimple": { id: "Regresi skor akhir tahun pada JP", en: "Year-end score regressed on JP" },
  "analysis.regressionMultiple": {
    id: "Regresi berganda: JP, golongan, jenis jabatan, kantor",
    en: "Multiple regression: JP, golongan, jenis jabatan, office",
  },
  "analysis.dropped": {
    id: "Kontrol yang dikeluarkan karena sudah ditentukan kontrol lain: {names}",
    en: "Controls left out because others already determine them: {names}",
  },
  "analysis.pctMet": { id: "% PNS ≥ 20 JP", en: "% PNS ≥ 20 JP" },
  "analysis.absences": { id: "Ketidakhadiran", en: "Absences" },
  "analysis.rateByOffice": { id: "Tingkat kehadiran per kantor", en: "Attendance rate by office" },
  "analysis.rateByTheme": { id: "Tingkat kehadiran per tema", en: "Attendance rate by theme" },
  "analysis.rateByRoute": { id: "Tingkat kehadiran per jalur", en: "Attendance rate by route" },
  "analysis.rateByMethod": { id: "Tingkat kehadiran per metode", en: "Attendance rate by method" },
  "analysis.predicates": { id: "Sebaran predikat per triwulan", en: "Predicates per quarter" },
  "analysis.capaian": { id: "Sebaran capaian (rata-rata realisasi/target)", en: "Capaian (mean realisasi/target)" },
  "analysis.appraisals": { id: "Penilaian", en: "Appraisals" },
  "analysis.l1": {
    id: "L1 — rata-rata kuesioner reaksi per pelatihan (1–5)",
    en: "L1 — mean reaction questionnaire per training (1–5)",
  },
  "analysis.l1Mean": { id: "Rata-rata L1", en: "Mean L1" },
  "analysis.l2": { id: "L2 — gain pre/post test per pelatihan", en: "L2 — pre/post test gain per training" },
  "analysis.l2Gain": { id: "Gain (poin)", en: "Gain (points)" },
  "analysis.l2Normalised": { id: "Gain ternormalisasi (%)", en: "Normalised gain (%)" },
  "analysis.l3": {
    id: "L3 — penerapan tujuan pelatihan di tempat kerja (perubahan dari penilaian awal, skala 1–5)",
    en: "L3 — objectives applied at work (change from the baseline, 1–5 scale)",
  },
  "analysis.l3Change": { id: "Perubahan rata-rata", en: "Mean change" },
} satisfies Texts;
