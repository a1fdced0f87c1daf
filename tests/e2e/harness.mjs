// Starts the real Pelita desktop app through tauri-driver (which drives WebKitWebDriver) on a fresh
// database, and hands back a WebdriverIO session. Run under a display (xvfb-run in `make e2e`).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import net from "node:net";
import { remote } from "webdriverio";

const root = resolve(import.meta.dirname, "../..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
export const appPath = join(target, "debug", "pelita-desktop");
export const cliPath = join(target, "debug", "pelita");
export const hubPath = join(target, "debug", "pelita-hub");
export const screenshots = join(import.meta.dirname, "screenshots");

function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise((ok) => {
      const s = net.connect(port, "127.0.0.1", () => (s.end(), ok(true)));
      s.on("error", () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

export const ADMIN = { username: "admin", password: "Lampu-Kantor-E2E-1" };

/** Runs the `pelita` CLI on the test database and returns its stdout; `env` adds variables. */
export function cli(db, args, env = {}) {
  return execFileSync(cliPath, ["--db", db, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
}

/** Runs the CLI signed in as the test admin. */
export function cliAsAdmin(db, args, env = {}) {
  return cli(db, ["--user", ADMIN.username, ...args], { PELITA_PASSWORD: ADMIN.password, ...env });
}

/**
 * A fresh database for `office` (with the demo data unless `demo` is false) with a first admin,
 * the app open on it, and a WebDriver session. With `office` null the laptop is left unset, and
 * the app opens on its first-run screen.
 */
export async function launch(office = "TERJUN", { demo = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "pelita-e2e-"));
  const db = join(dir, "pelita.sqlite");
  if (office) {
    const init = ["init", "--office", office, ...(demo ? ["--demo"] : []), "--admin", ADMIN.username];
    cli(db, init, { PELITA_PASSWORD: ADMIN.password });
  }
  mkdirSync(screenshots, { recursive: true });

  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group: the app it starts (through WebKitWebDriver) is in it too, so closing
  // ends them all. An app left behind keeps the test runner's stderr open and the run never ends.
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, PELITA_DB: db, XDG_DATA_HOME: join(dir, "xdg") },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  await waitForPort(port, 15_000);
  // tauri-driver starts WebKitWebDriver itself; a session asked for before that one listens is
  // dropped (seen on a busy CI machine right after the build).
  await waitForPort(nativePort, 15_000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    connectionRetryTimeout: 60_000,
    // WebKitWebDriver speaks classic WebDriver only; without this WebdriverIO 9 waits for BiDi.
    capabilities: { browserName: "wry", "wdio:enforceWebDriverClassic": true, "tauri:options": { application: appPath } },
  }).catch((e) => {
    stop();
    throw e;
  });
  return {
    browser,
    db,
    async close() {
      await browser.deleteSession().catch(() => {});
      stop();
    },
  };
}

/** Shorthands over one app's browser: elements by `data-testid`, counts, texts, waits, clicks. */
export function helpers(app) {
  const sel = (id) => `[data-testid="${id}"]`;
  const $ = (id) => app.browser.$(sel(id));
  const count = (selector) => app.browser.execute((s) => document.querySelectorAll(s).length, selector);
  const texts = (selector) =>
    app.browser.execute((s) => [...document.querySelectorAll(s)].map((e) => e.textContent.trim()), selector);
  const waitFor = (check, what) => app.browser.waitUntil(check, { timeout: 20_000, timeoutMsg: what });
  const click = async (id) => {
    await (await $(id)).waitForClickable({ timeout: 10_000 });
    await (await $(id)).click();
  };
  /** Signs in as the first admin from the login screen. */
  const signInAsAdmin = async () => {
    await (await $("login-username")).waitForDisplayed({ timeout: 20_000 });
    await (await $("login-username")).setValue(ADMIN.username);
    await (await $("login-password")).setValue(ADMIN.password);
    await click("login-submit");
  };
  return { sel, $, count, texts, waitFor, click, signInAsAdmin };
}
