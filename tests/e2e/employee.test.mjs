// The foundation scenarios, in the real app: add an employee with a valid NIP and find them in the
// list; type an invalid NIP, see the Indonesian error, and find nothing saved.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, launch, screenshots } from "./harness.mjs";

let app;
before(async () => {
  app = await launch("TERJUN");
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
const count = () => JSON.parse(cli(app.db, "employee", "list", "--json", "--all")).length;

test("an operator adds an employee with a valid NIP and finds them in the list", async () => {
  await (await $("add-employee")).waitForClickable({ timeout: 20_000 });
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
  assert.equal(count(), 1);
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
