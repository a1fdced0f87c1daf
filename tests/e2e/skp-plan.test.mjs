// Rencana SKP in the real app, in its WebKit webview, on the Kantor Camat's laptop, for next year
// (the demo holds last year's and this year's): the Camat writes and signs the Camat's plan; the
// Lurah of Terjun writes a plan whose RHK supports the Camat's, signs it, and the Camat signs it as
// penilai; a Terjun pegawai's plan supports the Lurah's (one target qualitative) and is signed by
// both; the matriks peran hasil shows who carries the Lurah's RHK; a revision starts from the
// page; the Lurah keeps a coaching note on this year's plan; the Lurah's quarterly appraisal of
// the pegawai starts from the plan, with this quarter's realisasi the Lurah entered and backed by a
// PDF (opened again from the encrypted database).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { cliAsAdmin, helpers, launch, screenshots } from "./harness.mjs";

const CAMAT = { username: "camat", password: "Sandi-Pimpinan-E2E-6" };
const NEXT_YEAR = new Date().getFullYear() + 1;
const LURAH = { username: "lurah", password: "Sandi-Terjun-E2E-7" };
const STAF = { username: "staf", password: "Sandi-Pelaksana-E2E-8" };

let app;
let h;
let camat;
let lurah;
let staf;
before(async () => {
  app = await launch("KEC-MARELAN");
  h = helpers(app);
  const everyone = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json"]));
  camat = everyone.find((e) => e.jabatan === "Camat");
  lurah = everyone.find((e) => e.jabatan === "Lurah" && e.office_code === "TERJUN");
  staf = everyone.find((e) => e.atasan_id === lurah.id);
  const add = (who, person, office) =>
    cliAsAdmin(app.db, ["user", "add", who.username, "--name", person.name, "--role", "Pegawai", "--nip", person.nip, "--office", office], {
      PELITA_NEW_PASSWORD: who.password,
    });
  add(CAMAT, camat, "KEC-MARELAN");
  add(LURAH, lurah, "TERJUN");
  add(STAF, staf, "TERJUN");
});
after(async () => {
  await app?.close();
});

const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const valueOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.value ?? null, selector);

async function signIn({ username, password }, person) {
  await (await h.$("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await h.$("login-username")).setValue(username);
  await (await h.$("login-password")).setValue(password);
  await h.click("login-submit");
  await h.click("nav-plans");
  await (await h.$("plans-table")).waitForDisplayed({ timeout: 8_000 });
  // The demo holds the agreed plans of last year and this one: next year's are made now.
  await (await h.$("plans-year")).setValue(String(NEXT_YEAR));
  await h.waitFor(
    async () => (await app.browser.execute(() => document.querySelector('[data-testid="plans-table"]')?.dataset.year)) === String(NEXT_YEAR),
    "next year's roster did not load",
  );
  await (await h.$(`plan-open-${person.nip}`)).waitForDisplayed({ timeout: 8_000 });
}

async function signOut() {
  await h.click("logout");
  await (await h.$("login-username")).waitForDisplayed({ timeout: 8_000 });
}

async function fillRhk(i, text, indicator, target) {
  await (await h.$(`plan-rhk-${i}-text`)).setValue(text);
  await (await h.$(`plan-rhk-${i}-ind-0`)).setValue(indicator);
  if (typeof target === "string") {
    await (await h.$(`plan-rhk-${i}-ind-0-kind`)).selectByAttribute("value", "Kualitatif");
    await (await h.$(`plan-rhk-${i}-ind-0-uraian`)).setValue(target);
  } else {
    await (await h.$(`plan-rhk-${i}-ind-0-target`)).setValue(String(target));
    await (await h.$(`plan-rhk-${i}-ind-0-satuan`)).setValue("persen");
  }
}

async function saveAndSign(password) {
  await h.click("plan-save");
  await h.waitFor(async () => (await textOf(h.sel("plan-message")))?.includes("Draf rencana disimpan"), "the draft was not saved");
  await (await h.$("plan-sign-password")).setValue(password);
  await h.click("plan-sign");
  await h.waitFor(async () => (await textOf(h.sel("plan-message")))?.includes("Rencana ditandatangani"), "the plan was not signed");
}

const CAMAT_RHK = "Meningkatnya kualitas pelayanan publik di Kecamatan Medan Marelan";
const LURAH_RHK = "Meningkatnya ketepatan waktu layanan administrasi Kelurahan Terjun";
const STAF_RHK = "Surat keterangan warga selesai di hari yang sama";

test("the Camat writes and signs the Camat's plan, which heads the chain", async () => {
  await signIn(CAMAT, camat);
  await h.click(`plan-open-${camat.nip}`);
  await fillRhk(0, CAMAT_RHK, "Indeks kepuasan masyarakat", 85);
  await saveAndSign(CAMAT.password);
  await h.waitFor(async () => (await textOf(h.sel("plan-state")))?.startsWith("Disepakati"), "signed alone, the Camat's plan is agreed");
  await app.browser.saveScreenshot(join(screenshots, "plan-camat.png"));
  await h.click("plan-back");
  await signOut();
});

test("the Lurah's RHK supports the Camat's; both sign it", async () => {
  await signIn(LURAH, lurah);
  await h.click(`plan-open-${lurah.nip}`);
  await fillRhk(0, LURAH_RHK, "Persentase layanan selesai tepat waktu", 90);
  await (await h.$("plan-rhk-0-intervensi")).selectByVisibleText(CAMAT_RHK);
  await saveAndSign(LURAH.password);
  await h.waitFor(async () => (await textOf(h.sel("plan-state")))?.startsWith("Draf"), "one signature of two keeps it a draft");
  await h.click("plan-back");
  assert.ok((await textOf(h.sel(`plan-status-${lurah.nip}`))).includes("1 dari 2"));
  await signOut();

  await signIn(CAMAT, camat);
  await h.click(`plan-open-${lurah.nip}`);
  await (await h.$("plan-sign-password")).setValue(CAMAT.password);
  await h.click("plan-sign");
  await h.waitFor(async () => (await textOf(h.sel("plan-state")))?.startsWith("Disepakati"), "the Camat's signature did not agree it");
  await h.click("plan-back");
  await signOut();
});

test("a pegawai's plan supports the Lurah's, with a qualitative target, signed by both", async () => {
  await signIn(STAF, staf);
  await h.click(`plan-open-${staf.nip}`);
  await fillRhk(0, STAF_RHK, "Persentase surat selesai 1 hari", 95);
  await (await h.$("plan-rhk-0-intervensi")).selectByVisibleText(LURAH_RHK);
  await h.click("plan-add-rhk");
  await fillRhk(1, "Layanan yang ramah", "Pengaduan tentang sikap petugas", "Tidak ada pengaduan tentang sikap petugas");
  await (await h.$("plan-rhk-1-jenis")).selectByAttribute("value", "Tambahan");
  await saveAndSign(STAF.password);
  await h.click("plan-back");
  await signOut();

  await signIn(LURAH, lurah);
  await h.click(`plan-open-${staf.nip}`);
  await (await h.$("plan-sign-password")).setValue(LURAH.password);
  await h.click("plan-sign");
  await h.waitFor(async () => (await textOf(h.sel("plan-state")))?.startsWith("Disepakati"), "the Lurah's signature did not agree it");
  await app.browser.saveScreenshot(join(screenshots, "plan-pegawai.png"));
  await h.click("plan-back");
  await h.click(`plan-open-${lurah.nip}`);
  await h.click("plan-matrix");
  await h.waitFor(async () => (await textOf(h.sel("plan-matrix-table")))?.includes(STAF_RHK), "the matrix does not show who carries the Lurah's RHK");
  await app.browser.saveScreenshot(join(screenshots, "plan-matrix.png"));
  // An agreed plan changes by a revision: a new draft that keeps its RHK.
  await h.click("plan-revise");
  await h.waitFor(async () => (await textOf(h.sel("plan-state")))?.includes("revisi"), "no revision was started");
  assert.equal(await valueOf(h.sel("plan-rhk-0-text")), LURAH_RHK);
  await h.click("plan-back");
});

test("the Lurah keeps a note of coaching the pegawai on this year's agreed plan", async () => {
  // The roster shows this year again when the page opens.
  await h.click("nav-appraisals");
  await h.click("nav-plans");
  await h.waitFor(
    async () => (await app.browser.execute(() => document.querySelector('[data-testid="plans-table"]')?.dataset.year)) === String(NEXT_YEAR - 1),
    "this year's roster did not load",
  );
  await h.click(`plan-open-${staf.nip}`);
  await (await h.$("plan-dialog-form")).waitForDisplayed({ timeout: 8_000 });
  await (await h.$("plan-dialog-kind")).selectByAttribute("value", "Bimbingan kinerja");
  await (await h.$("plan-dialog-note")).setValue("Antrean surat pagi hari dibagi dua loket");
  await h.click("plan-dialog-save");
  await h.waitFor(async () => (await textOf(h.sel("plan-dialogs")))?.includes("Antrean surat pagi hari dibagi dua loket"), "the note did not show");
  assert.ok((await textOf(h.sel("plan-dialogs"))).startsWith("Bimbingan kinerja"));
  await app.browser.saveScreenshot(join(screenshots, "plan-dialog.png"));
  await h.click("plan-back");
});

test("the Lurah enters this quarter's realisasi with a PDF as bukti dukung, and opens it again", async () => {
  await h.click(`plan-open-${staf.nip}`);
  await (await h.$("realisasi-0-0-value")).waitForDisplayed({ timeout: 8_000 });
  await (await h.$("realisasi-0-0-value")).setValue("88");
  await (await h.$("realisasi-0-0-uraian")).setValue("Surat keterangan warga dilayani; rekap terlampir");
  await h.click("realisasi-0-0-save");
  await h.waitFor(async () => (await textOf(h.sel("realisasi-message")))?.includes("Realisasi disimpan"), "the realisasi was not saved");
  // A scanned report: a PDF of some 300 KB, chosen through the page's file input.
  const pdf = join(tmpdir(), `rekap-triwulan-${process.pid}.pdf`);
  const bytes = Buffer.alloc(300 * 1024, 0x20);
  bytes.write("%PDF-1.4\n% rekap layanan\n", 0, "latin1");
  writeFileSync(pdf, bytes);
  await (await h.$("realisasi-0-0-evidence-input")).setValue(pdf);
  await h.waitFor(async () => (await textOf(h.sel("realisasi-0-0-evidence")))?.includes(basename(pdf)), "the PDF is not listed");
  // Its place ("waiting to upload") renders just after its name: waited for, not raced.
  await h.waitFor(async () => (await textOf(h.sel("realisasi-0-0-evidence-where")))?.includes("menunggu diunggah"), "the PDF's place is not shown");
  // Opened again: the whole file comes back out of the encrypted database.
  await h.click("realisasi-0-0-evidence-open");
  await (await h.$("attachment-viewer")).waitForDisplayed({ timeout: 8_000 });
  assert.ok((await textOf(h.sel("attachment-viewer-title"))).includes(basename(pdf)));
  assert.ok((await textOf(h.sel("attachment-viewer-bytes"))).startsWith(`${bytes.length} byte`));
  await app.browser.saveScreenshot(join(screenshots, "plan-realisasi.png"));
  await h.click("attachment-viewer-close");
  // A file that is not a PDF or a photo is refused, saying why.
  const exe = join(tmpdir(), `setup-${process.pid}.pdf`);
  writeFileSync(exe, Buffer.from("MZ\x90\x00 program"));
  await (await h.$("realisasi-0-0-evidence-input")).setValue(exe);
  await h.waitFor(async () => (await textOf(h.sel("realisasi-0-0-evidence-message")))?.includes("bukan PDF, JPEG atau PNG"), "a program was not refused");
  await h.click("plan-back");
});

test("the Lurah's quarterly appraisal of the pegawai starts from the plan agreed for the year", async () => {
  await h.click("nav-appraisals");
  await (await h.$("roster-table")).waitForDisplayed({ timeout: 8_000 });
  await h.click(`appraise-${staf.nip}`);
  await (await h.$("from-plan")).waitForDisplayed({ timeout: 8_000 });
  // This year's last quarter: the demo's agreed plan of this year.
  assert.ok((await valueOf(h.sel("rhk-0-indikator"))).startsWith("Layanan administrasi yang menjadi tugasnya selesai tepat waktu"));
  assert.equal(await valueOf(h.sel("rhk-0-target")), "90");
  // The realisasi entered for this quarter fills the item; the rating stays the penilai's.
  assert.equal(await valueOf(h.sel("rhk-0-realisasi")), "88");
  await app.browser.saveScreenshot(join(screenshots, "plan-appraisal.png"));
});
