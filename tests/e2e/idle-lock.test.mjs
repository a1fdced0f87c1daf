// The real app: the screen locks after ten minutes without use. The admin starts adding an
// employee and leaves it unsaved; ten minutes pass; the lock covers the page and the backend
// refuses commands; another user's password does not open it, the admin's does, and what was
// typed is still in the form.
//
// Ten real minutes would be a slow test. The app decides "idle" in the page (App.svelte: every
// 5 s, `Date.now() - lastUse >= idle.minutes * 60_000`), so the test moves the page's clock on
// instead of waiting: the real timer fires against the real default of ten minutes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ADMIN, cliAsAdmin, helpers, launch, screenshots } from "./harness.mjs";

const OTHER = { username: "operator.lain", password: "Sandi-Operator-Lain-E2E-5" };
const TYPED = { nip: "19900115 201503 2 004", name: "Siti Rahmawati Lubis" };

let app;
before(async () => {
  app = await launch("TERJUN");
  cliAsAdmin(app.db, ["user", "add", OTHER.username, "--name", "Operator Lain", "--role", "Operator"], {
    PELITA_NEW_PASSWORD: OTHER.password,
  });
});
after(async () => {
  await app?.close();
});

const { sel, $, count, texts, waitFor, click, signInAsAdmin } = helpers({
  get browser() {
    return app.browser;
  },
});

/**
 * A Tauri command from the page, answered as `{ ok }` or `{ refused }` (the `{code, message}`
 * payload; not `error`, which WebDriver would take for its own failure).
 */
const invoke = (command, args = {}) =>
  app.browser.execute(
    (c, a) => window.__TAURI_INTERNALS__.invoke(c, a).then((ok) => ({ ok }), (refused) => ({ refused })),
    command,
    args,
  );

/** Moves the page's clock `ms` ahead of real time (0 puts it back). */
const skewClock = (ms) =>
  app.browser.execute((skew) => {
    if (!window.__realNow) {
      window.__realNow = Date.now.bind(Date);
      Date.now = () => window.__realNow() + (window.__skew ?? 0);
    }
    window.__skew = skew;
  }, ms);

const value = (id) => app.browser.execute((s) => document.querySelector(s)?.value ?? null, sel(id));
const locked = () => count(sel("lock-screen"));
const MINUTE = 60_000;
// The idle check runs every 5 s: waiting a little longer lets it run at least once.
const oneCheck = () => new Promise((r) => setTimeout(r, 5_500));

test("the screen locks after ten idle minutes, only the signed-in user unlocks it, and the typed form survives", async () => {
  await signInAsAdmin();
  await waitFor(async () => (await texts(sel("current-user")))[0]?.length > 0, "the admin was not signed in");
  const name = (await texts(sel("current-user")))[0];
  await click("add-employee");
  await (await $("field-nip")).setValue(TYPED.nip);
  await (await $("field-name")).setValue(TYPED.name);

  // Nine minutes without use: still open.
  await skewClock(9 * MINUTE);
  await oneCheck();
  assert.equal(await locked(), 0, "locked before ten minutes");

  // Ten: the lock covers the page, which stays mounted but out of reach, and the backend knows.
  await skewClock(10 * MINUTE + 1_000);
  // Within one check of the ten minutes (the clock keeps running, so not much longer).
  await app.browser.waitUntil(async () => (await locked()) === 1, {
    timeout: 7_000,
    timeoutMsg: "the screen did not lock after ten idle minutes",
  });
  const body = (await texts(`${sel("lock-screen")} p`)).join(" ");
  assert.match(body, /setelah 10 menit tidak digunakan/);
  assert.ok(body.includes(name), `the lock names the signed-in user (${name}): ${body}`);
  assert.equal(
    await app.browser.execute((s) => document.querySelector(s)?.closest("[inert]") !== null, sel("field-name")),
    true,
    "the form behind the lock cannot be reached",
  );
  await waitFor(async () => (await invoke("session_info")).ok?.locked === true, "the backend did not hear of the lock");
  assert.equal((await invoke("app_info")).refused?.code, "session_locked", "the backend refuses commands while locked");

  // Another user's password, right for their own account, does not open this session.
  await (await $("unlock-password")).setValue(OTHER.password);
  await (await app.browser.$(`${sel("lock-screen")} button.primary`)).click();
  await waitFor(async () => (await count(`${sel("lock-screen")} .banner.error`)) === 1, "no refusal for another user's password");
  assert.equal(await locked(), 1, "another user's password unlocked the screen");
  assert.equal(await value("unlock-password"), "", "the refused password is cleared");
  assert.equal((await invoke("session_info")).ok?.locked, true);
  await app.browser.saveScreenshot(join(screenshots, "idle-lock.png"));

  // The signed-in user's own password opens it, on the form as it was left.
  await (await $("unlock-password")).setValue(ADMIN.password);
  await (await app.browser.$(`${sel("lock-screen")} button.primary`)).click();
  await waitFor(async () => (await locked()) === 0, "the admin's password did not unlock the screen");
  assert.equal(await value("field-nip"), TYPED.nip);
  assert.equal(await value("field-name"), TYPED.name);
  assert.equal((await invoke("session_info")).ok?.locked, false);
  assert.ok((await invoke("app_info")).ok, "commands work again");
  await app.browser.saveScreenshot(join(screenshots, "idle-unlocked.png"));
  // Typed, not saved: the register does not have it.
  const register = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--all"]));
  assert.equal(register.filter((e) => e.name === TYPED.name).length, 0);
});
