// The real app: the HQ admin opens Analisis on the demo data (two years of trainings and signed
// quarters) and sees the effect table with n and confidence intervals, the readings worded as
// association, and the charts drawn; then one kelurahan alone, where n < 10 gets no p-value. Then
// the Camat, signed in with their own account (a Pegawai account linked to their NIP), has the
// leader's view: the Analisis page of the whole district, and nothing to edit.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliAsAdmin, helpers, launch, screenshots } from "./harness.mjs";

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

test("the Analisis page shows the effect table and the charts for the demo data", async () => {
  await signInAsAdmin();
  await click("nav-analysis");
  await (await $("analysis-year")).waitForDisplayed({ timeout: 10_000 });
  await (await $("analysis-year")).setValue("2025");
  await app.browser.keys("Tab");
  await waitFor(async () => (await count(sel("effect-row"))) === 6, "the effect table did not show");
  const rows = await texts(sel("effect-row"));
  assert.match(rows[0], /Sebelum\/sesudah — skor predikat\s*\d+/);
  assert.match(rows[0], /s\.d\./, "a confidence interval");
  assert.match(rows[2], /selisih-dari-selisih/);
  const readings = (await texts(`${sel("effect-readings")} li`)).join(" ");
  assert.match(readings, /berhubungan dengan|belum dapat dibedakan dari nol/);
  assert.doesNotMatch(readings, /menyebabkan|terbukti/);
  for (const chart of ["chart-jp", "chart-reasons", "chart-rate-kantor", "chart-predicates", "chart-capaian", "chart-l1", "chart-l2"]) {
    await waitFor(
      async () => Number(await app.browser.execute((s) => document.querySelector(s)?.dataset.points ?? 0, sel(chart))) > 0,
      `${chart} has no data`,
    );
  }
  // The canvases are really drawn on: some pixel is not blank.
  const drawn = await app.browser.execute((s) => {
    const c = document.querySelector(`${s} canvas`);
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    return false;
  }, sel("chart-predicates"));
  assert.ok(drawn, "the predicate chart is drawn");
  await app.browser.saveScreenshot(join(screenshots, "analysis.png"));
  await app.browser.execute((s) => document.querySelector(s).closest("section").scrollIntoView(), sel("chart-jp"));
  await app.browser.saveScreenshot(join(screenshots, "analysis-charts.png"));
  await app.browser.execute((s) => document.querySelector(s).closest("section").scrollIntoView(), sel("chart-l1"));
  await app.browser.saveScreenshot(join(screenshots, "analysis-evaluations.png"));

  // One kelurahan: under ten people, n and the reason instead of a p-value.
  const terjun = await app.browser.execute((s) => {
    const select = document.querySelector(s);
    return [...select.options].find((o) => o.textContent.includes("Terjun"))?.value ?? null;
  }, sel("analysis-office"));
  assert.ok(terjun);
  await (await $("analysis-office")).selectByAttribute("value", terjun);
  await waitFor(async () => (await texts(sel("effect-row")))[0]?.includes("kurang dari 10"), "the guardrail did not show");
});

test("the Camat has the leader's view: the district's analysis, read-only", async () => {
  const staff = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--office", "KEC-MARELAN"]));
  const camat = staff.find((e) => e.jabatan === "Camat");
  assert.ok(camat, "the demo register has a Camat");
  const password = "Pimpinan-Kecamatan-E2E-7";
  cliAsAdmin(app.db, ["user", "add", "pak.camat", "--name", camat.name, "--role", "Pegawai", "--nip", camat.nip, "--office", "KEC-MARELAN"], {
    PELITA_NEW_PASSWORD: password,
  });
  await click("logout");
  await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await $("login-username")).setValue("pak.camat");
  await (await $("login-password")).setValue(password);
  await click("login-submit");
  await waitFor(async () => (await texts(".who small"))[0]?.includes("Pimpinan"), "the Camat is not shown as Pimpinan");
  await click("nav-analysis");
  await (await $("analysis-office")).waitForDisplayed({ timeout: 10_000 });
  // The whole district to choose from; no way to add or import staff on the register page.
  const offices = await app.browser.execute((s) => document.querySelector(s).options.length, sel("analysis-office"));
  assert.ok(offices >= 7, `the district's offices and "all": ${offices}`);
  await click("nav-employees");
  await (await $("employee-table")).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await count(sel("add-employee")), 0);
  assert.equal(await count(sel("import-employees")), 0);
  await app.browser.saveScreenshot(join(screenshots, "leader-camat.png"));
});
