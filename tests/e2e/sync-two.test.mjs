// Two copies of the real app under Xvfb, two laptops of Kelurahan Terjun, one real hub: each sees
// the other's change after a sync, and a deliberately created conflict (both change one person's
// jabatan) is shown with both versions and settled in the app; the choice reaches the other laptop.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ADMIN, cliAsAdmin, hubPath, launch, screenshots } from "./harness.mjs";

let hub;
let hubDb;
let hubUrl;
let one;
let two;
before(async () => {
  hubDb = join(mkdtempSync(join(tmpdir(), "pelita-hub-")), "hub.sqlite");
  hub = spawn(hubPath, ["--db", hubDb, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  const line = await new Promise((ok) => createInterface({ input: hub.stderr }).once("line", ok));
  hubUrl = line.trim().split(" ").pop();
  one = await launch("TERJUN", { demo: false });
  two = await launch("TERJUN", { demo: false });
});
after(async () => {
  await one?.close();
  await two?.close();
  hub?.kill();
});

/** Helpers bound to one app. */
function on(app) {
  const sel = (id) => `[data-testid="${id}"]`;
  const $ = (id) => app.browser.$(sel(id));
  const text = (id) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, sel(id));
  const count = (id) => app.browser.execute((s) => document.querySelectorAll(s).length, sel(id));
  const waitFor = (check, what) => app.browser.waitUntil(check, { timeout: 20_000, timeoutMsg: what });
  // Two windows share one screen: click through the page itself, so the window in front does
  // not decide which app gets the click (table rows are not "interactable" for WebDriver anyway).
  const click = async (id) => {
    await (await $(id)).waitForDisplayed({ timeout: 10_000 });
    await waitFor(async () => app.browser.execute((s) => !document.querySelector(s)?.disabled, sel(id)), `${id} stayed disabled`);
    await app.browser.execute((s) => document.querySelector(s).click(), sel(id));
  };
  return {
    $, text, count, waitFor, click,
    async signIn() {
      await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
      await (await $("login-username")).setValue(ADMIN.username);
      await (await $("login-password")).setValue(ADMIN.password);
      await click("login-submit");
    },
    /** Syncs now and waits for that run (not an earlier one) to be in the history. */
    async syncNow(what) {
      await click("nav-sync");
      await waitFor(async () => (await text("sync-state")) !== null, `${what}: the page did not open`);
      const before = await count("sync-run");
      await click("sync-now");
      await waitFor(
        async () => (await count("sync-run")) > before && (await text("sync-state")) === "Tersinkron",
        `${what}: the sync did not finish`,
      );
    },
    async setJabatan(jabatan, field = "field-jabatan") {
      await click("nav-employees");
      await click("employee-row");
      await click("edit-employee");
      await (await $(field)).setValue(jabatan);
      await click("save-employee");
      // Saved: the detail page shows the new jabatan.
      await waitFor(
        async () => (await count("detail-name")) === 1 && (await app.browser.execute((j) => document.body.textContent.includes(j), jabatan)),
        "the change was not saved",
      );
    },
    async jabatan() {
      await click("nav-employees");
      await waitFor(async () => (await count("employee-row")) === 1, "the employee is not listed");
      return app.browser.execute(() => document.querySelector('[data-testid="employee-row"]')?.textContent ?? "");
    },
  };
}

test("two laptops see each other's changes and settle a conflict in the app", async () => {
  const a = on(one);
  const b = on(two);
  for (const [ui, name] of [[a, "laptop 1"], [b, "laptop 2"]]) {
    await ui.signIn();
    await ui.click("nav-sync");
    const code = execFileSync(hubPath, ["--db", hubDb, "device", "enroll", "--office", "TERJUN"], { encoding: "utf8" }).trim();
    await (await ui.$("sync-hub")).setValue(hubUrl);
    await (await ui.$("sync-code")).setValue(code);
    await ui.click("sync-enrol");
    await ui.waitFor(async () => (await ui.text("sync-state")) === "Tersinkron", `${name} did not enrol`);
  }

  // Laptop 1 registers a colleague; after both sync, laptop 2 has them.
  const file = join(mkdtempSync(join(tmpdir(), "pelita-staf-")), "staf.csv");
  writeFileSync(file, "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n198503122010011002,Ahmad Fauzi,PNS,III/a,Pelaksana,Pelaksana,TERJUN\n");
  cliAsAdmin(one.db, ["employee", "import", file]);
  await a.syncNow("laptop 1");
  await b.syncNow("laptop 2");
  assert.match(await b.jabatan(), /Ahmad Fauzi/);

  // Both change the jabatan before syncing: laptop 2 meets laptop 1's version.
  await a.setJabatan("Kasi Pemerintahan");
  await b.setJabatan("Kasi Trantib");
  await a.syncNow("laptop 1 after its change");
  await b.click("nav-sync");
  await b.click("sync-now");
  await b.waitFor(async () => (await b.count("sync-conflict")) === 1, "laptop 2 did not show the conflict");
  // Once the run ends, the state names the conflict (never "Tersinkron" while it is open).
  await b.waitFor(async () => (await b.text("sync-state")) === "Konflik menunggu keputusan", "the state did not name the conflict");
  const shown = await b.text("sync-conflict");
  assert.ok(shown.includes("Kasi Trantib") && shown.includes("Kasi Pemerintahan"), shown);
  // Columns by the names people use, not the database's.
  const cells = await two.browser.execute(() => [...document.querySelectorAll('[data-testid="sync-conflict"] td[title]')].map((td) => td.textContent.trim()));
  assert.deepEqual(cells, ["Jabatan"]);
  await two.browser.saveScreenshot(join(screenshots, "sync-conflict.png"));

  // The person on laptop 2 keeps their version; it reaches laptop 1.
  await b.click("keep-mine");
  await b.waitFor(async () => (await b.count("sync-conflict")) === 0, "the conflict did not close");
  await b.syncNow("laptop 2 after settling");
  await a.syncNow("laptop 1 at the end");
  assert.match(await a.jabatan(), /Kasi Trantib/);
  assert.match(await b.jabatan(), /Kasi Trantib/);

  // Again, on two different fields: laptop 2 keeps its name and takes laptop 1's jabatan.
  await a.setJabatan("Sekretaris Lurah");
  await b.setJabatan("Ahmad Fauzi Lubis", "field-name");
  await a.syncNow("laptop 1, second change");
  await b.click("nav-sync");
  await b.click("sync-now");
  await b.waitFor(async () => (await b.count("sync-conflict")) === 1, "laptop 2 did not show the second conflict");
  await b.click("take-theirs-jabatan");
  await b.click("keep-merged");
  await b.waitFor(async () => (await b.count("sync-conflict")) === 0, "the merge did not settle the conflict");
  await b.syncNow("laptop 2 after the merge");
  await a.syncNow("laptop 1 after the merge");
  for (const ui of [a, b]) {
    const row = await ui.jabatan();
    assert.ok(row.includes("Ahmad Fauzi Lubis") && row.includes("Sekretaris Lurah"), row);
  }
});
