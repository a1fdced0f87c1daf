// Transfers between the district's offices.
import type { Texts } from "./index";

export const mutasi = {
  "mutasi.title": { id: "Mutasi Pegawai", en: "Staff Transfers (Mutasi)" },
  "mutasi.intro": {
    id: "Perpindahan pegawai antarkantor di kecamatan. Kantor asal mencatat mutasi keluar, kantor tujuan mengajukan mutasi masuk, Kantor Camat menyetujui atau menolaknya. Sejak TMT, pegawai dan riwayatnya (pelatihan, JP, penilaian) menjadi milik kantor tujuan; kantor asal tetap dapat melihat riwayatnya.",
    en: "Moves of staff between the district's offices. The sending office records a transfer out, the receiving office requests a transfer in, the Kantor Camat approves or refuses it. From the TMT the employee and their history (training, JP, appraisals) belong to the receiving office; the sending office can still read that history.",
  },
  "mutasi.requestIn": { id: "Ajukan mutasi masuk", en: "Request a transfer in" },
  "mutasi.recordOut": { id: "Catat mutasi keluar", en: "Record a transfer out" },
  "mutasi.count": { id: "{n} mutasi", en: "{n} transfers" },
  "mutasi.empty": { id: "Belum ada mutasi yang menyangkut kantor ini.", en: "No transfers concern this office yet." },
  "mutasi.from": { id: "Kantor asal", en: "From office" },
  "mutasi.to": { id: "Kantor tujuan", en: "To office" },
  "mutasi.tmt": { id: "TMT", en: "TMT (effective date)" },
  "mutasi.sk": { id: "Nomor SK", en: "SK number" },
  "mutasi.status": { id: "Status", en: "Status" },
  "mutasi.status.Diajukan": { id: "Diajukan", en: "Requested" },
  "mutasi.status.Disetujui": { id: "Disetujui", en: "Approved" },
  "mutasi.status.Ditolak": { id: "Ditolak", en: "Refused" },
  "mutasi.status.Dibatalkan": { id: "Dibatalkan", en: "Withdrawn" },
  "mutasi.approve": { id: "Setujui", en: "Approve" },
  "mutasi.reject": { id: "Tolak", en: "Refuse" },
  "mutasi.cancel": { id: "Batalkan", en: "Withdraw" },
  "mutasi.history": { id: "Lihat riwayat", en: "View history" },
  "mutasi.reason": { id: "Alasan penolakan", en: "Reason for refusing" },
  "mutasi.approved": {
    id: "Mutasi {name} disetujui; sinkronkan agar sampai ke kedua kantor.",
    en: "Transfer of {name} approved; sync so that both offices receive it.",
  },
  "mutasi.rejected": { id: "Mutasi {name} ditolak.", en: "Transfer of {name} refused." },
  "mutasi.cancelled": { id: "Pengajuan mutasi dibatalkan.", en: "Transfer request withdrawn." },
  "mutasi.saved": { id: "Mutasi {name} dicatat ({status}).", en: "Transfer of {name} recorded ({status})." },
  "mutasi.in": { id: "· masuk", en: "· in" },
  "mutasi.out": { id: "· keluar", en: "· out" },
  "mutasi.readOnlyHistory": {
    id: "Pegawai ini sudah pindah dari kantor Anda. Riwayatnya hanya dapat dilihat, tidak diubah.",
    en: "This employee has moved away from your office. Their history can be read, not changed.",
  },
  "mutasi.requestTitle": { id: "Ajukan mutasi masuk", en: "Request a transfer in" },
  "mutasi.recordTitle": { id: "Catat mutasi", en: "Record a transfer" },
  "mutasi.formHint": {
    id: "Isi sesuai SK mutasi. Kantor Camat memutuskan; mutasi yang dicatat Kantor Camat dengan nomor SK dan TMT yang sudah tiba langsung berlaku.",
    en: "Fill in as the transfer decree (SK) states. The Kantor Camat decides; a transfer the Kantor Camat records with an SK number and a TMT that has come takes effect at once.",
  },
  "mutasi.nameOnSk": { id: "Nama (sesuai SK)", en: "Name (as in the SK)" },
  "mutasi.nameHint": {
    id: "Wajib bila data pegawai belum ada di laptop ini.",
    en: "Required when this laptop does not hold the employee yet.",
  },
  "mutasi.fromRegister": { id: "— dari daftar pegawai —", en: "— from the register —" },
  "mutasi.note": { id: "Catatan", en: "Note" },
  "mutasi.request": { id: "Ajukan", en: "Request" },
  "mutasi.record": { id: "Catat", en: "Record" },
  "mutasi.heldElsewhere": {
    id: "NIP ini milik {name} di {office}. Pegawai yang pindah ke kantor Anda tidak didaftarkan ulang: ajukan mutasi masuk.",
    en: "This NIP belongs to {name} at {office}. Someone who moves to your office is not registered again: request a transfer in.",
  },
  "mutasi.officeByTransfer": {
    id: "Kantor berubah hanya melalui mutasi (menu Mutasi).",
    en: "The office changes only by a transfer (Transfers menu).",
  },
} satisfies Texts;
