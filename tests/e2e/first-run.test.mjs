// The real app on a laptop that is not set up yet: the first run creates the encrypted database
// with its first admin; the app and the CLI open it with that password, and after a password
// change in Pengaturan both open it with the new one only.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, launch, screenshots } from "./harness.mjs";

const FIRST = { username: "camat", password: "Pelita-Pertama-E2E-5" };
const CHANGED = "Pelita-Diganti-E2E-6";

let app;
before(async () => {
  app = await launch(null);
});
after(async () => {
  await app?.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const $ = (id) => app.browser.$(sel(id));
const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const waitForText = (selector, predicate, what) =>
  app.browser.waitUntil(async () => predicate(await textOf(selector)), { timeout: 20_000, timeoutMsg: what });
const cliAs = (password, args) => cli(app.db, ["--user", FIRST.username, ...args], { PELITA_PASSWORD: password });
const cliRefuses = (password, args) => assert.throws(() => cliAs(password, args), /nama pengguna atau kata sandi salah/);

test("the first run creates an encrypted database that the app and the CLI open with the password", async () => {
  await (await $("first-run-office")).waitForDisplayed({ timeout: 20_000 });
  await (await $("first-run-office")).selectByAttribute("value", "TERJUN");
  await (await $("first-run-start")).click();
  await (await $("admin-username")).waitForDisplayed({ timeout: 8_000 });
  await (await $("admin-username")).setValue(FIRST.username);
  await (await $("admin-name")).setValue("Camat Medan Marelan");
  await (await $("admin-password")).setValue(FIRST.password);
  await (await $("admin-again")).setValue(FIRST.password);
  await app.browser.saveScreenshot(join(screenshots, "first-run-admin.png"));
  await (await $("admin-submit")).click();
  await waitForText(sel("current-user"), (t) => t === "Camat Medan Marelan", "the first admin was not signed in");

  const head = readFileSync(app.db).subarray(0, 16).toString("latin1");
  assert.notEqual(head, "SQLite format 3\0", "the database file is encrypted");
  const users = JSON.parse(cliAs(FIRST.password, ["user", "list", "--json"]));
  assert.deepEqual(users.map((u) => u.username), [FIRST.username]);
});

test("after a password change in Pengaturan both open it with the new password only", async () => {
  await (await $("nav-settings")).click();
  await (await $("pw-current")).waitForDisplayed({ timeout: 8_000 });
  await (await $("pw-current")).setValue(FIRST.password);
  await (await $("pw-new")).setValue(CHANGED);
  await (await $("pw-again")).setValue(CHANGED);
  await (await $("pw-submit")).click();
  await waitForText(sel("pw-message"), (t) => t === "Kata sandi telah diganti", "the password was not changed");
  await app.browser.saveScreenshot(join(screenshots, "settings-password-changed.png"));

  cliRefuses(FIRST.password, ["user", "list"]);
  assert.match(cliAs(CHANGED, ["user", "list"]), /camat/);

  await (await $("logout")).click();
  await (await $("login-username")).waitForDisplayed({ timeout: 8_000 });
  await (await $("login-username")).setValue(FIRST.username);
  await (await $("login-password")).setValue(FIRST.password);
  await (await $("login-submit")).click();
  await waitForText(sel("login-error"), (t) => t === "nama pengguna atau kata sandi salah", "the old password still opened it");
  await (await $("login-password")).setValue(CHANGED);
  await (await $("login-submit")).click();
  await waitForText(sel("current-user"), (t) => t === "Camat Medan Marelan", "the new password did not open it");
});
