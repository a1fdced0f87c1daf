import type { Locale } from "./i18n.svelte";

const MONTHS: Record<Locale, string[]> = {
  id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

/** `2026-11-29` (or an ISO timestamp) → `29 November 2026`. Unreadable input is returned as it is. */
export function formatDate(iso: string | null | undefined, locale: Locale = "id"): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return iso;
  return `${Number(m[3])} ${MONTHS[locale][month - 1]} ${m[1]}`;
}

/** Groups an 18-digit NIP the way it is printed: `19850312 201001 1 002`. */
export function formatNip(nip: string): string {
  if (!/^\d{18}$/.test(nip)) return nip;
  // PPPK: birth, TMT year, 2x marker, sex, sequence.
  if (Number(nip.slice(12, 14)) >= 21) {
    return `${nip.slice(0, 8)} ${nip.slice(8, 12)} ${nip.slice(12, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}`;
  }
  return `${nip.slice(0, 8)} ${nip.slice(8, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}`;
}

/** An ISO timestamp (UTC) as the laptop's local date and time: `30 November 2026 14.05`. */
export function formatDateTime(iso: string, locale: Locale = "id"): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const sep = locale === "id" ? "." : ":";
  return `${formatDate(day, locale)} ${pad(d.getHours())}${sep}${pad(d.getMinutes())}${sep}${pad(d.getSeconds())}`;
}

/** The laptop's own day (WIB) of an instant — now when none is given — as `YYYY-MM-DD`, not UTC's. */
export function localDay(at: string | Date = new Date()): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
