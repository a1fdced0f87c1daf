// The real app on a new kelurahan laptop, set up from the hub: the Kantor Camat has entered the
// district's register once (its laptop set up with `pelita init --hub`); on the new laptop the
// first-run screen's "Sambungkan ke hub kecamatan" takes the hub address and a one-time code for
// Kelurahan Terjun, the first account is created, and the office's staff are there without being
// typed, under an Admin Kantor who sees exactly that office. Then Terjun asks for Citra from Paya
// Pasir (a mutasi request from the receiving office); the Kantor Camat approves it, and after a
// sync Citra is on Terjun's register.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { cli, helpers, hubPath, launch, screenshots } from "./harness.mjs";

const CAMAT = { username: "camat", password: "Lampu-Marelan-Hub-3" };
const SITI = { username: "operator1", password: "Kelurahan-Terjun-E2E-4" };

let app;
let hub;
let hubDb;
let hubUrl;
let asCamat;
const code = (office) => execFileSync(hubPath, ["--db", hubDb, "device", "enroll", "--office", office], { encoding: "utf8" }).trim();

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "pelita-hub-"));
  hubDb = join(dir, "hub.sqlite");
  hub = spawn(hubPath, ["--db", hubDb, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  const line = await new Promise((ok) => createInterface({ input: hub.stderr }).once("line", ok));
  hubUrl = line.trim().split(" ").pop();

  // The Kantor Camat's laptop, set up from the hub, enters the district's register once.
  const camat = join(dir, "camat.sqlite");
  cli(camat, ["init", "--hub", hubUrl, "--code", code("KEC-MARELAN"), "--admin", CAMAT.username], { PELITA_PASSWORD: CAMAT.password });
  const register = join(dir, "register.csv");
  writeFileSync(
    register,
    "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n" +
      "198001012005011001,Ani Lubis,PNS,III/d,Lurah,Struktural,TERJUN\n" +
      "198202022006011002,Budi Nasution,PNS,II/c,Pelaksana,Pelaksana,TERJUN\n" +
      "198503032008012003,Citra Siregar,PNS,III/d,Lurah,Struktural,PAYA-PASIR\n" +
      "197101012000031004,Dewi Harahap,PNS,III/c,Pelaksana,Pelaksana,KEC-MARELAN\n",
  );
  asCamat = (args) => cli(camat, ["--user", CAMAT.username, ...args], { PELITA_PASSWORD: CAMAT.password });
  asCamat(["employee", "import", register]);
  asCamat(["sync", "run"]);

  app = await launch(null);
});
after(async () => {
  await app?.close();
  hub?.kill();
});

test("a new laptop is set up from the hub and its office's staff arrive without typing", async () => {
  const { $, click, texts, waitFor } = helpers(app);
  await (await $("first-run-hub")).waitForClickable({ timeout: 20_000 });
  await click("first-run-hub");
  await (await $("hub-url")).setValue(hubUrl);
  await (await $("hub-code")).setValue(code("TERJUN"));
  await app.browser.saveScreenshot(join(screenshots, "first-run-hub.png"));
  await click("hub-next");
  await (await $("admin-username")).waitForDisplayed({ timeout: 8_000 });
  await (await $("admin-username")).setValue(SITI.username);
  await (await $("admin-name")).setValue("Siti Aisyah");
  await (await $("admin-password")).setValue(SITI.password);
  await (await $("admin-again")).setValue(SITI.password);
  await click("admin-submit");

  await waitFor(async () => (await texts('[data-testid="current-user"]'))[0] === "Siti Aisyah", "the first admin was not signed in");
  await waitFor(async () => (await texts('[data-testid="employee-row"]')).length === 2, "the office's staff did not arrive");
  const rows = (await texts('[data-testid="employee-row"]')).join(" | ");
  assert.match(rows, /Ani Lubis/);
  assert.match(rows, /Budi Nasution/);
  assert.doesNotMatch(rows, /Citra Siregar/, "another office's staff stay at the hub");
  const who = await app.browser.execute(() => document.querySelector(".who small")?.textContent ?? "");
  assert.match(who, /Admin Kantor/);
  const brand = await app.browser.execute(() => document.querySelector(".brand span")?.textContent ?? "");
  assert.equal(brand, "Kelurahan Terjun");
  await app.browser.saveScreenshot(join(screenshots, "first-run-hub-register.png"));

  // The hub knows the laptop, enrolled for Terjun.
  const status = JSON.parse(execFileSync(hubPath, ["--db", hubDb, "status", "--json"], { encoding: "utf8" }));
  assert.deepEqual(status.devices.map((d) => d.office_code).sort(), ["KEC-MARELAN", "TERJUN"]);
});

test("the receiving office asks for a colleague; the Kantor Camat approves; she arrives", async () => {
  const { $, click, sel, texts, waitFor } = helpers(app);
  const textOf = (s) => app.browser.execute((q) => document.querySelector(q)?.textContent?.trim() ?? null, s);
  await click("nav-mutasi");
  await click("mutasi-request");
  await (await $("mutasi-nip")).setValue("198503032008012003");
  await (await $("mutasi-name")).setValue("Citra Siregar");
  await (await $("mutasi-from")).selectByVisibleText("Kelurahan Paya Pasir");
  assert.equal(await (await $("mutasi-to")).getValue() !== "", true, "the receiving office is this one");
  await (await $("mutasi-sk")).setValue("800/77/2026");
  await app.browser.saveScreenshot(join(screenshots, "mutasi-request.png"));
  await click("mutasi-submit");
  await waitFor(async () => (await textOf(sel("mutasi-notice")))?.includes("Diajukan"), "the request was not recorded");
  const row = await $("mutasi-row");
  assert.equal(await row.getAttribute("data-status"), "Diajukan");
  assert.match(await row.getText(), /Citra Siregar[\s\S]*Kelurahan Paya Pasir[\s\S]*Kelurahan Terjun/);
  // Only the Kantor Camat decides: this laptop offers no approval.
  assert.equal((await texts(sel("mutasi-approve"))).length, 0);

  // The request reaches the hub; the Kantor Camat approves it; Terjun syncs again.
  await click("sidebar-sync");
  await click("sync-now");
  await waitFor(async () => (await textOf(sel("sync-state"))) === "Tersinkron", "the request was not sent");
  asCamat(["sync", "run"]);
  asCamat(["transfer", "approve", "198503032008012003"]);
  asCamat(["sync", "run"]);
  await click("sync-now");
  await waitFor(async () => (await textOf(sel("sync-state"))) === "Tersinkron", "the decision did not arrive");

  await click("nav-mutasi");
  await waitFor(async () => (await (await $("mutasi-row")).getAttribute("data-status")) === "Disetujui", "the approval was not shown");
  await app.browser.saveScreenshot(join(screenshots, "mutasi-approved.png"));
  await click("nav-employees");
  await waitFor(async () => (await texts('[data-testid="employee-row"]')).some((r) => /Citra Siregar/.test(r)), "Citra did not arrive");
  assert.equal((await texts('[data-testid="employee-row"]')).length, 3);
});

test("registering a NIP another office holds offers a transfer request instead", async () => {
  const { $, click, waitFor } = helpers(app);
  // The Kantor Camat's staff reach every laptop: Dewi is held here, as the Kantor Camat's.
  await click("nav-employees");
  await click("add-employee");
  await (await $("field-nip")).setValue("197101012000031004");
  await (await $("nip-elsewhere")).waitForDisplayed({ timeout: 8_000 });
  assert.match(await (await $("nip-elsewhere")).getText(), /Dewi Harahap di Kantor Camat/);
  await app.browser.saveScreenshot(join(screenshots, "nip-elsewhere.png"));
  await click("nip-elsewhere-request");
  await (await $("mutasi-form")).waitForDisplayed({ timeout: 8_000 });
  await waitFor(async () => (await (await $("mutasi-nip")).getValue()) === "197101012000031004", "the request was not prefilled");
  assert.equal(await (await $("mutasi-name")).getValue(), "Dewi Harahap");
});
