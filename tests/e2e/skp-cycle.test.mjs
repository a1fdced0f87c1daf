// The SKP cycle in the real app, in its WebKit webview, on the Kantor Camat's laptop: the Camat
// cannot sign the Lurah of Terjun's appraisal before setting Kelurahan Terjun's result; sets it
// with a signature on the recap; the Lurah's Hasil Kerja must then follow it (Baik → Sesuai
// Ekspektasi); the Penetapan prints the result, the Lurah's rating and the Camat as signer.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliAsAdmin, helpers, launch, screenshots } from "./harness.mjs";

const CAMAT = { username: "camat", password: "Sandi-Pimpinan-E2E-5" };

let app;
let h;
let camat;
let lurah;
before(async () => {
  app = await launch("KEC-MARELAN");
  h = helpers(app);
  const everyone = JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json"]));
  camat = everyone.find((e) => e.jabatan === "Camat");
  lurah = everyone.find((e) => e.jabatan === "Lurah" && e.office_code === "TERJUN");
  cliAsAdmin(app.db, ["user", "add", CAMAT.username, "--name", camat.name, "--role", "Pegawai", "--nip", camat.nip], {
    PELITA_NEW_PASSWORD: CAMAT.password,
  });
});
after(async () => {
  await app?.close();
});

const textOf = (selector) => app.browser.execute((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);

async function fillLurahForm(hasil) {
  const fill = async (id, value) => (await h.$(id)).setValue(value);
  await (await h.$("appraisal-form")).waitForDisplayed({ timeout: 8_000 });
  await fill("rhk-0-indikator", "Persentase layanan kelurahan selesai tepat waktu");
  await fill("rhk-0-target", "90");
  await fill("rhk-0-realisasi", "92");
  await fill("rhk-0-satuan", "persen");
  // The rest of the items come from the Lurah's agreed Rencana SKP (the demo's): their realisasi.
  await fill("rhk-1-realisasi", "12");
  const values = ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"];
  for (const v of values) await (await h.$(`behaviour-${v}`)).selectByAttribute("value", "Sesuai Ekspektasi");
  await (await h.$("hasil-kerja")).selectByAttribute("value", hasil);
  await (await h.$("perilaku-kerja")).selectByAttribute("value", "Sesuai Ekspektasi");
}

async function sign() {
  await h.click("finalize");
  await (await h.$("sign-password")).waitForDisplayed({ timeout: 8_000 });
  await (await h.$("sign-password")).setValue(CAMAT.password);
  await h.click("sign-submit");
}

test("the Camat cannot sign a Lurah's appraisal before the kelurahan's result is set", async () => {
  await (await h.$("login-username")).waitForDisplayed({ timeout: 20_000 });
  await (await h.$("login-username")).setValue(CAMAT.username);
  await (await h.$("login-password")).setValue(CAMAT.password);
  await h.click("login-submit");
  await h.click("nav-appraisals");
  await (await h.$("roster-table")).waitForDisplayed({ timeout: 8_000 });
  await h.click(`appraise-${lurah.nip}`);
  await fillLurahForm("Di Atas Ekspektasi");
  await sign();
  await h.waitFor(async () => (await textOf(h.sel("form-message")))?.includes("belum ditetapkan Camat"), "signing before the result was not refused");
  await app.browser.saveScreenshot(join(screenshots, "skp-lurah-refused.png"));
  await h.click("appraisal-back");
});

test("the Camat sets Kelurahan Terjun's result with a signature and prints the Penetapan", async () => {
  await (await h.$("recap-table")).waitForDisplayed({ timeout: 8_000 });
  await h.click("org-result-set-TERJUN");
  await (await h.$("org-result-choice")).selectByAttribute("value", "Baik");
  await (await h.$("org-result-password")).setValue("bukan-sandinya-1");
  await h.click("org-result-sign");
  await h.waitFor(async () => (await textOf(h.sel("org-result-error"))) !== null, "a wrong password was not refused");
  await (await h.$("org-result-password")).setValue(CAMAT.password);
  await h.click("org-result-sign");
  await h.waitFor(async () => (await textOf(h.sel("org-result-TERJUN")))?.startsWith("Baik"), "the result did not show");
  // The Camat sets no other office's result than a kelurahan's: not the Kantor Camat's own.
  assert.equal(await textOf(h.sel("org-result-set-KEC-MARELAN")), null);
  await app.browser.saveScreenshot(join(screenshots, "skp-recap.png"));

  await h.click("penetapan-TERJUN");
  await (await h.$("penetapan-view")).waitForDisplayed({ timeout: 8_000 });
  assert.equal(await textOf(h.sel("penetapan-result")), "Baik");
  assert.ok((await textOf(h.sel("penetapan-leader-rating"))).startsWith("Sesuai Ekspektasi"));
  assert.ok((await textOf(h.sel("penetapan-leader-rating"))).includes(lurah.name));
  assert.equal(await textOf(h.sel("penetapan-signer")), camat.display_name);
  await app.browser.saveScreenshot(join(screenshots, "skp-penetapan.png"));
  await h.click("penetapan-close");
});

test("the Lurah's Hasil Kerja follows the result: Di Atas is refused, Sesuai signs", async () => {
  await (await h.$("roster-table")).waitForDisplayed({ timeout: 8_000 });
  await h.click(`appraise-${lurah.nip}`);
  await (await h.$("appraisal-form")).waitForDisplayed({ timeout: 8_000 });
  await sign();
  await h.waitFor(async () => (await textOf(h.sel("form-message")))?.includes("mengikuti predikat kinerja organisasi"), "a rating against the result was not refused");
  await (await h.$("hasil-kerja")).selectByAttribute("value", "Sesuai Ekspektasi");
  await sign();
  await (await h.$("print-view")).waitForDisplayed({ timeout: 8_000 });
  assert.equal(await textOf(h.sel("doc-predicate")), "Baik");
});
