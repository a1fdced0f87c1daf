// The real app: an operator creates a training with two sessions, enrols three employees, marks
// attendance with one "Izin — tugas kantor", prints the daftar hadir, completes the training, and
// sees the JP dashboard and the absence-reason chart change.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { cliAsAdmin, launch, screenshots } from "./harness.mjs";

const OPERATOR = { username: "operator2", password: "Sandi-Operator-E2E-7" };

let app;
before(async () => {
  app = await launch("TERJUN");
  cliAsAdmin(app.db, ["user", "add", OPERATOR.username, "--name", "Operator Terjun", "--role", "Operator"], {
    PELITA_NEW_PASSWORD: OPERATOR.password,
  });
});
after(async () => {
  await app?.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const $ = (id) => app.browser.$(sel(id));
const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const count = (selector) => app.browser.execute((s) => document.querySelectorAll(s).length, selector);
const waitFor = (check, what) => app.browser.waitUntil(check, { timeout: 10_000, timeoutMsg: what });
const click = async (id) => {
  await (await $(id)).waitForClickable({ timeout: 10_000 });
  await (await $(id)).click();
};

test("a training from creation to the JP dashboard", async () => {
  await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await $("login-username")).setValue(OPERATOR.username);
  await (await $("login-password")).setValue(OPERATOR.password);
  await click("login-submit");
  await click("nav-trainings");

  // Before: nothing counted, no absences.
  await click("tab-jp");
  await waitFor(async () => (await textOf(sel("jp-share")))?.startsWith("0 dari"), "the JP dashboard did not load");
  assert.equal(await count(sel("reason-bar")), 0);
  await click("tab-trainings");

  await click("add-training");
  await (await $("training-title")).setValue("Bimtek Pelayanan Prima");
  await (await $("training-jp")).setValue("12");
  // What the atasan will rate before the training and three months after (Kirkpatrick L3): one
  // objective per line (WebKit's driver types no newline from a string; the Enter key does).
  await (await $("training-objectives")).setValue("Menjawab pengaduan warga dalam 3 hari kerja");
  await app.browser.keys("Enter");
  await (await $("training-objectives")).addValue("Memakai templat surat keterangan yang baru");
  await click("session-add");
  await click("training-save");
  await waitFor(async () => (await textOf(sel("training-heading"))) === "Bimtek Pelayanan Prima", "the training was not created");
  assert.equal(await count(`${sel("training-objectives-list")} li`), 2);

  await waitFor(async () => (await count(`${sel("enrol-pick")} option`)) > 3, "no employees to enrol");
  for (let i = 0; i < 3; i++) {
    await (await $("enrol-pick")).selectByIndex(1);
    await click("enrol");
    await waitFor(async () => (await count(sel("participant-row"))) === i + 1, `enrolment ${i + 1} did not show`);
  }

  // Session 1: everyone present except one, who is on leave for office duties.
  await click("attendance-0");
  await (await $("attendance-table")).waitForDisplayed({ timeout: 10_000 });
  const nips = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid^="attendance-row-"]')].map((r) => r.dataset.testid.replace("attendance-row-", "")),
  );
  assert.equal(nips.length, 3);
  await click("all-present");
  await (await $(`status-${nips[0]}`)).selectByAttribute("value", "Izin");
  await (await $(`reason-${nips[0]}`)).selectByAttribute("value", "tugas kantor / beban kerja");
  await click("attendance-save");
  await waitFor(async () => (await textOf(sel("attendance-message")))?.startsWith("Kehadiran disimpan"), "attendance 1 not saved");
  await app.browser.saveScreenshot(join(screenshots, "attendance-checklist.png"));
  await click("attendance-back");
  await click("attendance-1");
  await (await $("attendance-table")).waitForDisplayed({ timeout: 10_000 });
  await click("all-present");
  await click("attendance-save");
  await waitFor(async () => (await textOf(sel("attendance-message")))?.startsWith("Kehadiran disimpan"), "attendance 2 not saved");
  await click("attendance-back");

  // The daftar hadir lists every enrolled name.
  await click("daftar-hadir-0");
  await (await $("daftar-hadir")).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await count(sel("dh-row")), 3);
  await app.browser.saveScreenshot(join(screenshots, "daftar-hadir.png"));
  await app.browser.execute(() => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Kembali").click());

  // The app asks before completing (attendance is then fixed); the operator answers yes.
  await app.browser.execute(() => {
    window.confirm = () => true;
  });
  await click("training-complete");
  await waitFor(async () => (await textOf(sel("training-status"))) === "Selesai", "the training was not completed");
  // The certificate's scan goes with a participant, through the row's file input.
  const scan = join(tmpdir(), `sertifikat-${process.pid}.png`);
  writeFileSync(scan, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20_000, 7)]));
  await (await $("certificate-input")).setValue(scan);
  await waitFor(async () => (await textOf(sel("certificate")))?.includes(basename(scan)), "the certificate file is not listed");

  // After: two of three completed with 12 JP; the absence reason shows in the chart.
  await click("training-back");
  await click("tab-jp");
  await waitFor(async () => (await count(sel("reason-bar"))) === 1, "the absence reason did not appear");
  assert.match(await textOf(sel("reason-chart")), /tugas kantor \/ beban kerja\s*1/);
  assert.ok((await textOf(sel(`jp-${nips[1]}`))).startsWith("12"));
  assert.ok((await textOf(sel(`jp-${nips[0]}`))).startsWith("0"), "partial attendance counts nothing");
  // A PPPK is counted per year of their perjanjian kerja (PP 49/2018 Pasal 40), and the row says
  // which (the demo's PPPK have their contracts recorded).
  const spans = await app.browser.execute(() => [...document.querySelectorAll('[data-testid^="jp-span-"]')].map((e) => e.textContent.trim()));
  assert.ok(spans.length > 0, "the demo's Terjun has a PPPK");
  assert.ok(spans.every((s) => s.startsWith("tahun perjanjian kerja")), spans.join(" | "));
  await app.browser.saveScreenshot(join(screenshots, "jp-dashboard.png"));
});
