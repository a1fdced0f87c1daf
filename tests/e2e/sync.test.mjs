// The real app and a real hub: the laptop's admin (Admin Kantor) enrols it on the Sinkronisasi page with
// a one-time code from `pelita-hub device enroll`, an employee registered on the laptop waits as a
// pending change (never shown as synced, on the page or in the sidebar on every page),
// "Sinkronkan sekarang" sends it, and the hub holds it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ADMIN, cliAsAdmin, hubPath, launch, screenshots } from "./harness.mjs";

let app;
let hub;
let hubDb;
let hubUrl;
before(async () => {
  hubDb = join(mkdtempSync(join(tmpdir(), "pelita-hub-")), "hub.sqlite");
  hub = spawn(hubPath, ["--db", hubDb, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  const line = await new Promise((ok) => createInterface({ input: hub.stderr }).once("line", ok));
  hubUrl = line.trim().split(" ").pop();
  app = await launch("TERJUN", { demo: false });
});
after(async () => {
  await app?.close();
  hub?.kill();
});

const sel = (id) => `[data-testid="${id}"]`;
const $ = (id) => app.browser.$(sel(id));
const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const waitFor = (check, what, timeout = 15_000) => app.browser.waitUntil(check, { timeout, timeoutMsg: what });
const click = async (id) => {
  await (await $(id)).waitForClickable({ timeout: 10_000 });
  await (await $(id)).click();
};
const hubStatus = () => JSON.parse(execFileSync(hubPath, ["--db", hubDb, "status", "--json"], { encoding: "utf8" }));

test("enrol on the Sinkronisasi page, see a change pending, sync it to the hub", async () => {
  await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await $("login-username")).setValue(ADMIN.username);
  await (await $("login-password")).setValue(ADMIN.password);
  await click("login-submit");
  await click("nav-sync");

  const code = execFileSync(hubPath, ["--db", hubDb, "device", "enroll", "--office", "TERJUN"], { encoding: "utf8" }).trim();
  await (await $("sync-hub")).setValue(hubUrl);
  await (await $("sync-code")).setValue(code);
  await click("sync-enrol");
  await waitFor(async () => (await textOf(sel("sync-state"))) === "Tersinkron", "the first sync did not finish");
  assert.equal(hubStatus().devices.length, 1);
  // The sidebar says where sync stands on every page.
  await waitFor(async () => (await textOf(sel("sidebar-sync"))) === "Tersinkron", "the sidebar did not say Tersinkron");

  // A change made on this laptop waits, and the page says so.
  const file = join(mkdtempSync(join(tmpdir(), "pelita-staf-")), "staf.csv");
  writeFileSync(file, "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n198503122010011002,Ahmad Fauzi,PNS,III/a,Staf,Pelaksana,TERJUN\n");
  cliAsAdmin(app.db, ["employee", "import", file]);
  await waitFor(async () => (await textOf(sel("sync-state")))?.startsWith("1 perubahan menunggu"), "the pending change was not shown");
  assert.equal(await textOf(sel("sync-pending")), "1");
  await click("nav-employees");
  await waitFor(async () => (await textOf(sel("sidebar-sync"))) === "1 menunggu", "the sidebar did not show the waiting change");
  await app.browser.saveScreenshot(join(screenshots, "sidebar-sync-pending.png"));
  await click("sidebar-sync");

  await click("sync-now");
  await waitFor(async () => (await textOf(sel("sync-state"))) === "Tersinkron", "the change was not sent");
  assert.equal(hubStatus().rows, 1);
  await app.browser.saveScreenshot(join(screenshots, "sync-page.png"));
});
