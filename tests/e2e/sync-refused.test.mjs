// Sync you can trust, in the real app: a Paya Pasir laptop registers a colleague Terjun registered
// first (the same NIP); the hub refuses that one change, the page says why and what to do, and
// "Buang perubahan ini" gives it up. Then a conflict that reaches the laptop only through a USB
// bundle imported twice at the hub (the first answer lost) is shown and settled.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ADMIN, cli, cliAsAdmin, helpers, hubPath, launch, screenshots } from "./harness.mjs";

let app;
let hub;
let hubDb;
let hubUrl;
const work = mkdtempSync(join(tmpdir(), "pelita-tolak-"));
before(async () => {
  hubDb = join(work, "hub.sqlite");
  hub = spawn(hubPath, ["--db", hubDb, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  const line = await new Promise((ok) => createInterface({ input: hub.stderr }).once("line", ok));
  hubUrl = line.trim().split(" ").pop();
  app = await launch("PAYA-PASIR", { demo: false });
});
after(async () => {
  await app?.close();
  hub?.kill();
});

const hubRun = (args) => execFileSync(hubPath, ["--db", hubDb, ...args], { encoding: "utf8" });
const HEADER = "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n";
function staff(name, line) {
  const file = join(work, `${name}.csv`);
  writeFileSync(file, HEADER + line + "\n");
  return file;
}
/** Another laptop, run through the `pelita` CLI: set up for `office` and enrolled. */
function cliLaptop(name, office) {
  const db = join(work, `${name}.sqlite`);
  cli(db, ["init", "--office", office, "--admin", ADMIN.username], { PELITA_PASSWORD: ADMIN.password });
  const code = hubRun(["device", "enroll", "--office", office]).trim();
  cliAsAdmin(db, ["sync", "enroll", "--hub", hubUrl, "--code", code]);
  return db;
}

test("a refused change is shown with its reason and discarded; a conflict from a replayed bundle is settled", async () => {
  const { sel, $, count, texts, waitFor, click, signInAsAdmin } = helpers(app);
  const state = () => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, sel("sync-state"));
  const syncNow = async (expected, what) => {
    await click("sync-now");
    await waitFor(async () => (await state()) === expected, what);
  };

  // Terjun registered Ani first.
  const terjun = cliLaptop("terjun", "TERJUN");
  cliAsAdmin(terjun, ["employee", "import", staff("ani-terjun", "198001012005011001,Ani Lubis,PNS,II/c,Pelaksana,Pelaksana,TERJUN")]);
  cliAsAdmin(terjun, ["sync", "run"]);

  await signInAsAdmin();
  await click("nav-sync");
  await (await $("sync-hub")).setValue(hubUrl);
  await (await $("sync-code")).setValue(hubRun(["device", "enroll", "--office", "PAYA-PASIR"]).trim());
  await click("sync-enrol");
  await waitFor(async () => (await state()) === "Tersinkron", "the laptop did not enrol");

  // Paya Pasir registers Ani (she moved here) and Budi: Ani alone is refused, Budi reaches the hub.
  cliAsAdmin(app.db, ["employee", "import", staff("ani-paya", "198001012005011001,Ani Lubis,PNS,II/c,Pelaksana,Pelaksana,PAYA-PASIR")]);
  cliAsAdmin(app.db, ["employee", "import", staff("budi", "198202022006011002,Budi Nasution,PNS,II/c,Pelaksana,Pelaksana,PAYA-PASIR")]);
  await syncNow("Ada perubahan yang ditolak hub — perlu ditinjau", "the refusal was not shown");
  assert.equal(await count(sel("rejected-row")), 1);
  const [reason] = await texts(sel("rejected-reason"));
  assert.ok(reason.includes("Kelurahan Terjun") && reason.includes("ajukan mutasi"), reason);
  assert.ok((await texts(sel("sync-rejected")))[0].includes("Ani Lubis"));
  assert.equal(JSON.parse(hubRun(["status", "--json"])).rows, 2, "Ani (Terjun's) and Budi");
  await app.browser.saveScreenshot(join(screenshots, "sync-refused.png"));
  await click("discard-rejected");
  await waitFor(async () => (await count(sel("rejected-row"))) === 0, "the refused change was not discarded");
  await syncNow("Tersinkron", "the page did not return to Tersinkron");

  // A second Paya Pasir laptop changes Budi first; this one changes him too, offline, and sends
  // a bundle that the Kantor Camat imports twice. Only the second answer comes back.
  const second = cliLaptop("paya-2", "PAYA-PASIR");
  cliAsAdmin(second, ["sync", "run"]);
  cliAsAdmin(second, ["employee", "edit", "198202022006011002", "--jabatan", "Kasi Pemerintahan"]);
  cliAsAdmin(second, ["sync", "run"]);
  cliAsAdmin(app.db, ["employee", "edit", "198202022006011002", "--jabatan", "Sekretaris Lurah"]);
  const bundle = join(work, "ke-hub.bundle");
  cliAsAdmin(app.db, ["bundle", "export", bundle]);
  for (const n of [1, 2]) hubRun(["bundle", "import", bundle, "--reply", join(work, `jawaban-${n}.bundle`)]);
  cliAsAdmin(app.db, ["bundle", "import", join(work, "jawaban-2.bundle")]);
  await waitFor(async () => (await count(sel("sync-conflict"))) === 1, "the conflict from the bundle was not shown");
  await waitFor(async () => (await state()) === "Konflik menunggu keputusan", "the state did not name the conflict");
  const shown = (await texts(sel("sync-conflict")))[0];
  assert.ok(shown.includes("Sekretaris Lurah") && shown.includes("Kasi Pemerintahan"), shown);
  await app.browser.saveScreenshot(join(screenshots, "sync-bundle-conflict.png"));
  await click("keep-theirs");
  await waitFor(async () => (await count(sel("sync-conflict"))) === 0, "the conflict did not close");
  await syncNow("Tersinkron", "the settled conflict did not sync");
  const budi = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--search", "Budi"]));
  assert.equal(budi[0].jabatan, "Kasi Pemerintahan");
});
