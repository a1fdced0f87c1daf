// The real app: the HQ admin opens Studi Pengaruh on the demo data — the opened default
// instrument and its answer sheets — and sees the thesis tables (validity, reliability, the
// assumption tests, the regressions); enters one paper sheet, first incomplete (the missing
// item is named and nothing is saved), then whole; and the results count it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { helpers, launch, screenshots } from "./harness.mjs";

let app;
before(async () => {
  app = await launch("KEC-MARELAN");
});
after(async () => {
  await app?.close();
});

const { sel, $, count, texts, waitFor, click, signInAsAdmin } = helpers({
  get browser() {
    return app.browser;
  },
});
const reportN = async () => Number((await (await $("study-report")).getText()).match(/n = (\d+) responden/)?.[1]);

test("the study's results, and one paper answer sheet entered", async () => {
  await signInAsAdmin();
  await click("nav-study");
  await waitFor(async () => (await count(sel("study-table"))) >= 8, "the result tables did not show");
  const titles = await texts(`${sel("study-table")} h3`);
  for (const t of ["Distribusi jawaban", "Uji validitas", "Uji reliabilitas", "Uji normalitas", "Uji multikolinearitas", "Uji heteroskedastisitas", "Regresi linear berganda", "Regresi linear sederhana"]) {
    assert.ok(titles.some((x) => x.startsWith(t)), `${t} missing from ${titles}`);
  }
  const report = await (await $("study-report")).getText();
  assert.match(report, /Valid/);
  assert.match(report, /Reliabel/);
  assert.match(report, /0,\d{4}/, "numbers with the Indonesian decimal comma");
  const before = await reportN();
  assert.ok(before >= 30, `n = ${before}`);
  await app.browser.saveScreenshot(join(screenshots, "study-results.png"));

  // A paper sheet: all but the last statement answered.
  await click("study-tab-answer");
  await waitFor(async () => (await count(sel("study-item"))) === 17, "the answer sheet did not show");
  const radios = await app.browser.$$(`${sel("study-item")} input[type=radio][value="4"]`);
  for (const r of radios.slice(0, -1)) await r.click();
  await click("study-save-sheet");
  await waitFor(async () => /Y_6 belum dijawab/.test(await (await $("study-sheet-message")).getText()), "the missing item was not named");
  await app.browser.saveScreenshot(join(screenshots, "study-sheet.png"));
  await radios[radios.length - 1].click();
  await click("study-save-sheet");
  await waitFor(async () => /Jawaban disimpan/.test(await (await $("study-sheet-message")).getText()), "the sheet was not saved");

  await click("study-tab-results");
  await waitFor(async () => (await reportN()) === before + 1, "the results did not count the new sheet");
});
