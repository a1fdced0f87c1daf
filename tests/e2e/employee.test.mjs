// The real app, in its WebKit webview: an Operator adds an employee with a valid NIP and finds them;
// an invalid NIP shows the Indonesian error and nothing is saved; five wrong passwords lock an
// account; a Pegawai sees only their own record; a Penilai sees only their direct reports and
// appraises one of them: the predicate follows the ratings live, the signed appraisal is read-only.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliAsAdmin, launch, screenshots } from "./harness.mjs";

const OPERATOR = { username: "operator1", password: "Sandi-Operator-E2E-2" };
const PEGAWAI = { username: "staf", password: "Sandi-Pegawai-E2E-3" };
const PENILAI = { username: "lurah", password: "Sandi-Penilai-E2E-4" };

let app;
let staff;
let reports;
before(async () => {
  app = await launch("TERJUN");
  cliAsAdmin(app.db, ["user", "add", OPERATOR.username, "--name", "Operator Terjun", "--role", "Operator"], {
    PELITA_NEW_PASSWORD: OPERATOR.password,
  });
  const terjun = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--office", "TERJUN"]));
  staff = terjun.find((e) => e.jabatan === "Pelaksana");
  cliAsAdmin(app.db, ["user", "add", PEGAWAI.username, "--name", staff.name, "--role", "Pegawai", "--nip", staff.nip], {
    PELITA_NEW_PASSWORD: PEGAWAI.password,
  });
  // The Lurah gets a plain Pegawai account: Penilai follows from having direct reports.
  const everyone = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json"]));
  const lurah = terjun.find((e) => e.jabatan === "Lurah");
  reports = everyone.filter((e) => e.atasan_id === lurah.id).map((e) => e.nip).sort();
  cliAsAdmin(app.db, ["user", "add", PENILAI.username, "--name", lurah.name, "--role", "Pegawai", "--nip", lurah.nip], {
    PELITA_NEW_PASSWORD: PENILAI.password,
  });
});
after(async () => {
  await app?.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const $ = (id) => app.browser.$(sel(id));
// WebKitWebDriver cannot read the text of some elements through WebDriver; ask the page instead.
const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const textsOf = (selector) => app.browser.execute((s) => [...document.querySelectorAll(s)].map((e) => e.textContent.trim()), selector);
const waitForText = (selector, predicate, what) =>
  app.browser.waitUntil(async () => predicate(await textOf(selector)), { timeout: 8_000, timeoutMsg: what });
const count = () => JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--all"])).length;

async function login({ username, password }) {
  await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await $("login-username")).setValue(username);
  await (await $("login-password")).setValue(password);
  await (await $("login-submit")).click();
}

async function logout() {
  await (await $("logout")).click();
  await (await $("login-username")).waitForDisplayed({ timeout: 8_000 });
}

test("an operator adds an employee with a valid NIP and finds them in the list", async () => {
  const before = count();
  await login(OPERATOR);
  await waitForText(sel("current-user"), (t) => t === "Operator Terjun", "the operator was not signed in");
  await (await $("add-employee")).waitForClickable({ timeout: 10_000 });
  await (await $("add-employee")).click();
  await (await $("field-nip")).setValue("19850312 201001 1 002");
  // The core decodes the NIP while typing.
  await waitForText(sel("employee-form"), (t) => t?.includes("lahir 12 Maret 1985"), "the decoded birth date did not appear");
  await (await $("field-name")).setValue("Ahmad Fauzi");
  await (await $("field-gelar-belakang")).setValue("S.Sos.");
  await (await $("field-golongan")).selectByAttribute("value", "III/b");
  await (await $("field-jabatan")).setValue("Kasi Pemerintahan");
  await (await $("field-jenis-jabatan")).selectByAttribute("value", "Struktural");
  await (await $("save-employee")).click();

  await waitForText(sel("notice"), (t) => t === "Data pegawai tersimpan", "no saved notice");
  await (await $("employee-search")).setValue("Fauzi");
  await app.browser.waitUntil(async () => (await textsOf(sel("employee-row"))).length === 1, {
    timeout: 8_000,
    timeoutMsg: "the search did not narrow the list to one row",
  });
  const [row] = await textsOf(sel("employee-row"));
  assert.match(row, /19850312 201001 1 002/);
  assert.match(row, /Ahmad Fauzi, S\.Sos\./);
  assert.match(row, /III\/b · Penata Muda Tingkat I/);
  await app.browser.saveScreenshot(join(screenshots, "employee-added.png"));
  assert.equal(count(), before + 1);
});

test("an invalid NIP shows the Indonesian error and nothing is saved", async () => {
  const before = count();
  await (await $("add-employee")).click();
  await (await $("field-nip")).setValue("198502302010011002"); // 30 February
  await waitForText(sel("error-nip"), (t) => t !== null, "no NIP error appeared");
  assert.equal(await textOf(sel("error-nip")), "tanggal lahir pada NIP (digit 1–8: 19850230) bukan tanggal yang benar");
  await (await $("field-name")).setValue("Budi Santoso");
  await (await $("field-golongan")).selectByAttribute("value", "II/a");
  await (await $("field-jabatan")).setValue("Pelaksana");
  await (await $("save-employee")).click();
  await waitForText(sel("form-error"), (t) => t !== null, "no form error appeared");
  assert.equal(await textOf(sel("form-error")), "Periksa isian yang ditandai merah. Tidak ada yang disimpan.");
  assert.equal(await textOf(sel("error-nip")), "tanggal lahir pada NIP (digit 1–8: 19850230) bukan tanggal yang benar");
  await app.browser.saveScreenshot(join(screenshots, "invalid-nip.png"));
  assert.equal(count(), before);
});

test("a Pegawai sees only their own record", async () => {
  await logout();
  await login(PEGAWAI);
  await waitForText(sel("detail-name"), (t) => t?.includes(staff.name), "the own record did not open");
  assert.equal(await textOf(sel("nav-employees")), "Data Saya");
  assert.equal(await textOf(sel("add-employee")), null, "a Pegawai is offered no register actions");
  assert.equal(await textOf(sel("employee-table")), null, "a Pegawai sees no list");
  await app.browser.saveScreenshot(join(screenshots, "pegawai-own-record.png"));
});

test("a Penilai sees only their direct reports in Penilaian Kinerja", async () => {
  await logout();
  await login(PENILAI);
  await (await $("nav-appraisals")).waitForClickable({ timeout: 20_000 });
  await (await $("nav-appraisals")).click();
  await (await $("roster-table")).waitForDisplayed({ timeout: 8_000 });
  const shown = (await textsOf(`${sel("roster-row")} code`)).map((n) => n.replace(/\D/g, "")).sort();
  assert.ok(reports.length >= 2, "the demo Lurah has several reports");
  assert.deepEqual(shown, reports);
  await app.browser.saveScreenshot(join(screenshots, "penilai-roster.png"));
});

test("a Penilai appraises a direct report, signs it, and gets a read-only document to print", async () => {
  const nip = reports[0];
  await (await $(`appraise-${nip}`)).click();
  await (await $("appraisal-form")).waitForDisplayed({ timeout: 8_000 });
  const fill = async (id, value) => (await $(id)).setValue(value);
  // The demo's agreed Rencana SKP 2026 gives the items and targets; the Lurah enters what was
  // achieved, and may add an item the plan did not have.
  await (await $("from-plan")).waitForDisplayed({ timeout: 8_000 });
  assert.equal(await app.browser.execute(() => document.querySelectorAll('[data-testid="rhk-row"]').length), 2);
  await fill("rhk-0-realisasi", "95");
  await fill("rhk-1-realisasi", "12");
  await (await $("rhk-add")).click();
  await fill("rhk-2-indikator", "Laporan bulanan kegiatan seksi");
  await fill("rhk-2-target", "3");
  await fill("rhk-2-realisasi", "3");
  await fill("rhk-2-satuan", "laporan");
  const values = ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"];
  for (const v of values) await (await $(`behaviour-${v}`)).selectByAttribute("value", "Sesuai Ekspektasi");
  assert.equal(await textOf(sel("predicate")), "— pilih kedua rating —");
  await (await $("hasil-kerja")).selectByAttribute("value", "Di Atas Ekspektasi");
  await (await $("perilaku-kerja")).selectByAttribute("value", "Di Atas Ekspektasi");
  await waitForText(sel("predicate"), (t) => t === "Sangat Baik", "the predicate did not follow the ratings");
  await (await $("perilaku-kerja")).selectByAttribute("value", "Sesuai Ekspektasi");
  await waitForText(sel("predicate"), (t) => t === "Baik", "the predicate did not update live");
  await app.browser.saveScreenshot(join(screenshots, "appraisal-form.png"));

  await (await $("finalize")).click();
  await (await $("sign-password")).waitForDisplayed({ timeout: 8_000 });
  await (await $("sign-password")).setValue(PENILAI.password);
  await (await $("sign-submit")).click();
  await (await $("print-view")).waitForDisplayed({ timeout: 8_000 });
  assert.equal(await textOf(sel("doc-predicate")), "Baik");
  for (const gone of ["appraisal-form", "save-draft", "finalize", "rhk-add", "hasil-kerja"]) {
    assert.equal(await textOf(sel(gone)), null, `${gone} is gone once the appraisal is Final`);
  }
  assert.equal(await textOf(sel("print")), "Cetak / PDF");
  await app.browser.saveScreenshot(join(screenshots, "appraisal-final.png"));
  await (await $("appraisal-back")).click();
  await waitForText(sel("roster-table"), (t) => t?.includes("Final"), "the roster does not show the Final appraisal");
});

test("five wrong passwords lock the account", async () => {
  await logout();
  for (let i = 0; i < 5; i++) {
    await login({ username: OPERATOR.username, password: `salah-${i}-sekali` });
    // A refused attempt empties the password field: that is when this attempt is over.
    await app.browser.waitUntil(async () => (await (await $("login-password")).getValue()) === "", {
      timeout: 8_000,
      timeoutMsg: `attempt ${i + 1} did not finish`,
    });
    assert.equal(await textOf(sel("login-error")), "nama pengguna atau kata sandi salah");
  }
  // Now even the right password is refused until the lock expires.
  await login(OPERATOR);
  await waitForText(sel("login-error"), (t) => t?.startsWith("akun ini dikunci sementara"), "the account was not locked");
  await app.browser.saveScreenshot(join(screenshots, "account-locked.png"));
});

test("the admin sees the accounts and checks the audit log", async () => {
  await login({ username: "admin", password: "Lampu-Kantor-E2E-1" });
  await (await $("nav-users")).waitForClickable({ timeout: 8_000 });
  await (await $("nav-users")).click();
  await waitForText(sel("users-table"), (t) => t?.includes("operator1") && t?.includes("staf"), "the accounts were not listed");
  await app.browser.saveScreenshot(join(screenshots, "users.png"));
  await (await $("nav-audit")).click();
  await (await $("audit-verify")).waitForClickable({ timeout: 8_000 });
  await (await $("audit-verify")).click();
  await waitForText(sel("audit-verdict"), (t) => t?.startsWith("Log audit utuh"), "the audit log was not reported intact");
  // The refused logins of the previous scenario are in the log.
  await waitForText(sel("audit-table"), (t) => t?.includes("gagal masuk"), "failed logins are not in the log");
  await app.browser.saveScreenshot(join(screenshots, "audit-log.png"));
});
