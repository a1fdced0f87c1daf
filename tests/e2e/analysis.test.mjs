// The real app: the HQ admin opens Analisis on the demo data (two years of trainings and signed
// quarters) and sees the effect table with n and confidence intervals, the readings worded as
// association, and each of the ten charts drawn with one bar per non-zero figure (read from its
// canvas's pixels); then one kelurahan alone, where n < 10 gets no p-value. Then
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

// The ten charts of the Analisis page (`BarChart testid=…` in Analysis.svelte).
const CHARTS = [
  "chart-jp",
  "chart-reasons",
  "chart-rate-kantor",
  "chart-rate-tema",
  "chart-rate-jalur",
  "chart-rate-metode",
  "chart-predicates",
  "chart-l1",
  "chart-l2",
  "chart-capaian",
];

/** A Tauri command called from the page, as the UI calls it (the signed-in session applies). */
const invoke = (command, args) =>
  app.browser.execute((c, a) => window.__TAURI_INTERNALS__.invoke(c, a), command, args);

const nonZero = (values) => values.filter((v) => v !== null && v !== 0).length;

/**
 * What each chart should draw, series by series: its colour and the values as the page rounds
 * them (Analysis.svelte). A null or zero value is no bar.
 */
function expectedBars(o) {
  const shares = o.jp_shares.filter((s) => s.office_code);
  const slice = (by) => o.breakdown.filter((s) => s.by === by).map((s) => Math.round(s.attendance_rate));
  const reacted = o.evaluations.filter((e) => e.reaction_mean !== null);
  const tested = o.evaluations.filter((e) => e.mean_gain !== null);
  const predicates = [
    ["sangat_baik", "#1f6f5c"],
    ["baik", "#4f9d69"],
    ["butuh_perbaikan", "#c9a227"],
    ["kurang_misconduct", "#d9822b"],
    ["sangat_kurang", "#b5473a"],
  ];
  return {
    "chart-jp": [{ label: "% memenuhi 20 JP", color: "#1f6f5c", values: shares.map((s) => Math.round(s.share_pct)) }],
    "chart-reasons": [{ label: "ketidakhadiran", color: "#d9822b", values: o.participation.reasons.map((r) => r.count) }],
    "chart-rate-kantor": [{ label: "kehadiran per kantor", color: "#4f9d69", values: slice("kantor") }],
    "chart-rate-tema": [{ label: "kehadiran per tema", color: "#4f9d69", values: slice("tema") }],
    "chart-rate-jalur": [{ label: "kehadiran per jalur", color: "#4f9d69", values: slice("jalur") }],
    "chart-rate-metode": [{ label: "kehadiran per metode", color: "#4f9d69", values: slice("metode") }],
    "chart-predicates": predicates.map(([key, color]) => ({ label: key, color, values: o.predicates.map((p) => p.counts[key]) })),
    "chart-l1": [{ label: "rata-rata L1", color: "#1f6f5c", values: reacted.map((e) => Number(e.reaction_mean.toFixed(2))) }],
    "chart-l2": [
      { label: "gain", color: "#4f9d69", values: tested.map((e) => Number(e.mean_gain.toFixed(1))) },
      {
        label: "gain ternormalisasi",
        color: "#c9a227",
        values: tested.map((e) => (e.mean_normalised_gain === null ? null : Math.round(100 * e.mean_normalised_gain))),
      },
    ],
    "chart-capaian": [{ label: "penilaian", color: "#c9a227", values: o.capaian.map((b) => b.count) }],
  };
}

/**
 * Reads each chart's canvas in the page and counts, per series colour, the separate patches of
 * that colour (bars and legend boxes). The canvas is transparent where nothing is drawn; a pixel
 * counts when it is mostly covered and its colour is the series' within rounding, so the
 * anti-aliased edge of a bar one pixel high still counts.
 */
function barsDrawn(expected) {
  const wanted = Object.fromEntries(Object.entries(expected).map(([id, series]) => [id, series.map((s) => s.color)]));
  return app.browser.execute((charts) => {
    const out = {};
    for (const [id, colors] of Object.entries(charts)) {
      const box = document.querySelector(`[data-testid="${id}"]`);
      const canvas = box?.querySelector("canvas");
      const title = box?.closest("section")?.querySelector("h2")?.textContent.trim() ?? "?";
      const w = canvas?.width ?? 0;
      const h = canvas?.height ?? 0;
      if (!w || !h) {
        out[id] = { title, size: 0, bars: colors.map(() => 0), legend: 0 };
        continue;
      }
      const px = canvas.getContext("2d").getImageData(0, 0, w, h).data;
      const bars = colors.map((color) => {
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
        const mask = new Uint8Array(w * h);
        for (let p = 0; p < w * h; p++) {
          const i = 4 * p;
          const near = Math.abs(px[i] - r) <= 6 && Math.abs(px[i + 1] - g) <= 6 && Math.abs(px[i + 2] - b) <= 6;
          if (px[i + 3] >= 96 && near) mask[p] = 1;
        }
        let patches = 0;
        for (let p = 0; p < w * h; p++) {
          if (mask[p] !== 1) continue;
          let size = 0;
          const stack = [p];
          mask[p] = 2;
          while (stack.length) {
            const q = stack.pop();
            size++;
            const x = q % w;
            for (const n of [x > 0 ? q - 1 : -1, x < w - 1 ? q + 1 : -1, q - w, q + w]) {
              if (n >= 0 && n < w * h && mask[n] === 1) {
                mask[n] = 2;
                stack.push(n);
              }
            }
          }
          // A stray pixel or two of that colour in some anti-aliasing is not a bar.
          if (size >= 4) patches++;
        }
        return patches;
      });
      out[id] = { title, size: w * h, bars, legend: colors.length > 1 ? 1 : 0 };
    }
    return out;
  }, wanted);
}

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
  for (const chart of CHARTS) {
    await waitFor(
      async () => Number(await app.browser.execute((s) => document.querySelector(s)?.dataset.points ?? 0, sel(chart))) > 0,
      `${chart} has no data`,
    );
  }
  // Every canvas is really drawn on, with the bars its figures call for: the page's own figures,
  // asked of the backend with the same filters, against the bars found in each canvas's pixels.
  const overview = await invoke("analysis_overview", { year: 2025, officeId: null, theme: null, route: null, status: null });
  const expected = expectedBars(overview);
  assert.deepEqual(Object.keys(expected).sort(), [...CHARTS].sort(), "every chart on the page is checked");
  const drawn = await barsDrawn(expected);
  const wrong = [];
  for (const chart of CHARTS) {
    const { title, size, bars, legend } = drawn[chart];
    if (!size) wrong.push(`${chart} ("${title}"): no canvas drawn`);
    expected[chart].forEach((s, i) => {
      // A chart with more than one series has a legend, with one box in each series' colour.
      const want = nonZero(s.values) + legend;
      if (bars[i] !== want) wrong.push(`${chart} ("${title}"), ${s.label} in ${s.color}: ${bars[i]} bars drawn, ${want} expected`);
    });
  }
  assert.deepEqual(wrong, [], `charts not drawn as their figures say:\n${wrong.join("\n")}`);
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
