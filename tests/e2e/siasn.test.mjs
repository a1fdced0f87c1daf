// The real app: the SIASN riwayat kursus of a year with data (2025 in the demo's history). The
// admin opens a training of 2025, types a participant's certificate number, and exports the
// year; the file read back (independently of the Rust code that wrote it) has SIASN's columns,
// the participant's row with the values the app shows and the catalogue holds, no row for those
// who did not complete, and as many JP per person as the JP figures count. The `pelita` CLI
// writes the same rows.
//
// The "Ekspor riwayat kursus SIASN…" button asks where to save in GTK's native dialog, which
// WebDriver cannot reach (and Tauri's IPC cannot be stubbed from the page), so the test calls the
// command that button calls, `export_siasn`, from the page with the path the dialog would answer.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { cliAsAdmin, helpers, launch, screenshots } from "./harness.mjs";
import { readCsv, readXlsx } from "./sheet.mjs";

// SIASN's riwayat kursus template, in its order (store: training/attendance.rs, SIASN_COLUMNS).
const SIASN_COLUMNS = [
  "NIP",
  "Nama",
  "ID Jenis Diklat",
  "Jenis Diklat",
  "Nama Kursus",
  "Institusi Penyelenggara",
  "Jumlah Jam",
  "Nomor Sertifikat",
  "Tanggal Mulai",
  "Tanggal Selesai",
  "Tahun",
];
const YEAR = 2025;
// SIASN's own jenis diklat for each LAN route, as SIASN's reference names them (the test of the
// table row by row is core's, crates/core/tests/siasn.rs); leadership training is none of them.
const LEADERSHIP = "Pelatihan Struktural Kepemimpinan";
const JENIS_DIKLAT = {
  "Pelatihan Manajerial": ["5", "Pelatihan Manajerial"],
  "Pelatihan Teknis": ["3", "Diklat Teknis"],
  "Pelatihan Fungsional": ["2", "Diklat Fungsional"],
  "Pelatihan Sosial Kultural": ["6", "Pelatihan Sosial Kultural"],
  "Seminar/Konferensi/Sarasehan": ["9", "Seminar"],
  "Workshop atau Lokakarya": ["4", "Workshop"],
  Kursus: ["11", "Kursus"],
  Penataran: ["12", "Penataran"],
  "Bimbingan Teknis": ["8", "Bimbingan Teknis"],
  Sosialisasi: ["7", "Sosialisasi"],
  "Jalur klasikal lainnya": ["13", "Pengembangan Kompetensi Dalam Bentuk Pelatihan Klasikal Lainnya"],
  Coaching: ["14", "Coaching"],
  Mentoring: ["15", "Mentoring"],
  "E-learning": ["16", "E-Learning"],
  "Pelatihan Jarak Jauh": ["17", "Pelatihan Jarak Jauh"],
  "Detasering (Secondment)": ["18", "Detasering (Secondment)"],
  "Pembelajaran Alam Terbuka (Outbond)": ["19", "Pembelajaran Alam Terbuka (Outbond)"],
  "Patok Banding (Benchmarking)": ["20", "Patok Banding (Benchmarking)"],
  "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD": ["21", "Pertukaran Antara PNS Dengan Pegawai Swasta/Badan Usaha Milik Negara/Badan Usaha Milik Daerah"],
  "Belajar Mandiri (Self Development)": ["22", "Belajar Mandiri (Self Development)"],
  "Komunitas Belajar (Community of Practices)": ["23", "Komunitas Belajar (Community of Practices)"],
  "Bimbingan di tempat kerja": ["24", "Bimbingan di Tempat Kerja"],
  "Magang/praktik kerja": ["10", "Magang"],
  "Jalur nonklasikal lainnya": ["25", "Pengembangan Kompetensi Dalam Bentuk Pelatihan Nonklasikal Lainnya"],
};
const CERTIFICATE = "SERT/E2E/2025/0042";

let app;
before(async () => {
  app = await launch("TERJUN");
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

/** The participant table of the open training as the page shows it. */
const participants = () =>
  app.browser.execute((s) =>
    [...document.querySelectorAll(s)].map((tr) => {
      const td = tr.querySelectorAll("td");
      return {
        nip: td[0].textContent.replace(/\s/g, ""),
        name: td[1].textContent.trim(),
        state: td[2].textContent.trim(),
        completed: td[3].textContent.trim() === "Ya",
        jp: tr.querySelector("input.small")?.value ?? td[4].textContent.trim(),
      };
    }),
    sel("participant-row"),
  );

/** The cells of a sheet's rows as text, a blank cell as "". */
const values = (rows) => rows.map((r) => Array.from({ length: SIASN_COLUMNS.length }, (_, i) => r[i]?.value ?? ""));

test("the SIASN riwayat kursus of a year with data: SIASN's columns and the real values", async () => {
  const catalogue = JSON.parse(cliAsAdmin(app.db, ["training", "list", "--json"]));
  const register = new Map(JSON.parse(cliAsAdmin(app.db, ["employee", "list", "--json", "--all"])).map((e) => [e.nip, e]));

  await signInAsAdmin();
  await click("nav-trainings");
  await (await $("training-table")).waitForDisplayed({ timeout: 10_000 });
  const year = await app.browser.$(`label.inline input[type="number"]`);
  await year.setValue(String(YEAR));
  await app.browser.keys("Tab");
  await waitFor(
    async () => (await texts(`${sel("training-row")} td:first-child`)).some((t) => t.includes(String(YEAR))),
    `no trainings of ${YEAR} listed`,
  );
  const titles = await texts(`${sel("training-row")} td:first-child`);
  assert.ok(titles.every((t) => t.includes(String(YEAR))), `only ${YEAR}: ${titles}`);

  // A training with someone who completed it and someone who did not.
  let training;
  let people;
  for (let i = 0; i < titles.length && !training; i++) {
    await (await (await app.browser.$$(sel("training-row")))[i].$("td")).click();
    await waitFor(async () => (await texts(sel("training-heading")))[0] === titles[i], `${titles[i]} did not open`);
    await waitFor(async () => (await count(sel("participant-row"))) > 0, `${titles[i]} shows no participants`);
    people = await participants();
    const route = catalogue.find((t) => t.input.title === titles[i])?.input.route;
    if (route !== LEADERSHIP && people.some((p) => p.completed) && people.some((p) => !p.completed)) training = titles[i];
    else await click("training-back");
  }
  assert.ok(training, "a training of the year with both a completer and someone who did not complete");
  const held = catalogue.find((t) => t.input.title === training);
  assert.ok(held, `${training} is in the catalogue`);
  assert.equal(held.status, "Selesai");
  const line = (await texts(`${sel("training-heading")} + p`))[0];
  assert.ok(line.includes(held.input.route) && line.includes(`${held.input.jp} JP`), `the page shows the catalogue's training: ${line}`);

  // The first who completed gets a certificate number, typed on the training's page.
  const known = people.find((p) => p.completed);
  const knownRow = (await app.browser.$$(sel("participant-row")))[people.indexOf(known)];
  await (await knownRow.$("input.cert")).setValue(CERTIFICATE);
  await app.browser.keys("Tab");
  await waitFor(async () => (await texts(sel("training-message")))[0] === "Disimpan", "the certificate number was not saved");
  await app.browser.saveScreenshot(join(screenshots, "siasn-training.png"));

  const file = join(dirname(app.db), `riwayat-kursus-siasn-${YEAR}.xlsx`);
  const written = await invoke("export_siasn", { path: file, year: YEAR });
  assert.equal(written.refused, undefined, JSON.stringify(written.refused));
  const sheet = readXlsx(file);
  const [header, ...rows] = values(sheet);
  assert.deepEqual(header, SIASN_COLUMNS, "SIASN's columns, in its order");
  assert.equal(rows.length, written.ok.rows, "one row per completed participation, as many as the app said");
  assert.ok(rows.length > 0, `rows for ${YEAR}`);
  // Text cells, so Excel keeps all 18 digits of a NIP (a number cell would round them).
  const numeric = sheet.slice(1).flatMap((r, i) => r.filter((c) => c.value !== "" && c.type !== "s").map((c) => `row ${i + 2}: ${c.value}`));
  assert.deepEqual(numeric, [], "every filled cell is text");

  // The known participant's row: the register's NIP and name, the catalogue's training, the JP
  // the page shows for them and the certificate number just typed.
  const col = Object.fromEntries(SIASN_COLUMNS.map((c, i) => [c, i]));
  const expected = [
    known.nip,
    register.get(known.nip).name,
    ...JENIS_DIKLAT[held.input.route],
    held.input.title,
    held.input.organiser,
    known.jp,
    CERTIFICATE,
    held.input.start_date,
    held.input.end_date,
    String(YEAR),
  ];
  assert.ok(known.name.includes(register.get(known.nip).name), `${known.name} is ${known.nip} in the register`);
  const found = rows.filter((r) => r[col.NIP] === known.nip && r[col["Nama Kursus"]] === training);
  assert.deepEqual(found, [expected], `${known.name}'s row for ${training}`);
  // Those who did not complete it are not reported to SIASN for it.
  for (const p of people.filter((p) => !p.completed)) {
    assert.equal(
      rows.filter((r) => r[col.NIP] === p.nip && r[col["Nama Kursus"]] === training).length,
      0,
      `${p.name} (${p.state}, not completed) is not in the file for ${training}`,
    );
  }
  // As many rows for the training as the page shows completers.
  assert.equal(rows.filter((r) => r[col["Nama Kursus"]] === training).length, people.filter((p) => p.completed).length);

  // Every row: a real NIP and its name, a held training of the year with the catalogue's values.
  for (const r of rows) {
    const who = register.get(r[col.NIP]);
    assert.ok(who, `NIP ${r[col.NIP]} is in the register`);
    assert.equal(r[col.Nama], who.name, `the name of ${r[col.NIP]}`);
    const t = catalogue.find((t) => t.input.title === r[col["Nama Kursus"]]);
    assert.ok(t, `${r[col["Nama Kursus"]]} is in the catalogue`);
    assert.notEqual(t.input.route, LEADERSHIP, `${t.input.title}: leadership training is riwayat diklat struktural's`);
    assert.deepEqual(
      [r[col["ID Jenis Diklat"]], r[col["Jenis Diklat"]], r[col["Institusi Penyelenggara"]], r[col["Tanggal Mulai"]], r[col["Tanggal Selesai"]], r[col.Tahun]],
      [...JENIS_DIKLAT[t.input.route], t.input.organiser, t.input.start_date, t.input.end_date, String(YEAR)],
      `${r[col.Nama]}: ${t.input.title}`,
    );
    assert.equal(t.status, "Selesai");
    assert.ok(t.input.end_date.startsWith(String(YEAR)));
    const jp = Number(r[col["Jumlah Jam"]]);
    assert.ok(Number.isInteger(jp) && jp > 0 && jp <= t.input.jp, `${r[col.Nama]}: ${jp} JP of ${t.input.jp}`);
  }

  // Per person, the JP in the file and those of the leadership trainings left out add up to the
  // year's JP figures (the 20 JP rule's count); the app said how many it left out.
  const jpFile = {};
  for (const r of rows) jpFile[r[col.NIP]] = (jpFile[r[col.NIP]] ?? 0) + Number(r[col["Jumlah Jam"]]);
  let leftOut = 0;
  for (const t of catalogue.filter((t) => t.input.route === LEADERSHIP && t.status === "Selesai" && t.input.end_date.startsWith(String(YEAR)))) {
    const answer = await invoke("participants", { trainingId: t.id });
    for (const p of answer.ok.filter((p) => p.completed && p.state === "Terdaftar")) {
      jpFile[p.nip] = (jpFile[p.nip] ?? 0) + p.jp_diakui;
      leftOut += 1;
    }
  }
  assert.equal(written.ok.leadership, leftOut, "the leadership participations left out, as many as the app said");
  assert.ok(leftOut > 0, `the demo's ${YEAR} has completed leadership training`);
  const jpYear = JSON.parse(cliAsAdmin(app.db, ["jp", "--year", String(YEAR), "--json"]));
  const counted = Object.fromEntries(jpYear.filter((l) => l.jp > 0).map((l) => [l.nip, l.jp]));
  assert.deepEqual(jpFile, counted, "JP per NIP in the file = the JP figures of the year");

  // The CLI's export of the same year: the same rows.
  const csv = join(dirname(app.db), `siasn-${YEAR}.csv`);
  const said = cliAsAdmin(app.db, ["training", "export", csv, "--year", String(YEAR)]);
  assert.match(said, new RegExp(`^${rows.length} riwayat kursus ${YEAR} diekspor`));
  assert.deepEqual(readCsv(csv), [header, ...rows]);

  // The button the user presses, on the page with the year chosen.
  await click("training-back");
  await (await $("training-table")).waitForDisplayed({ timeout: 10_000 });
  const buttons = await texts(".toolbar button");
  assert.ok(buttons.includes("Ekspor riwayat kursus SIASN…"), `the export button is offered: ${buttons}`);
});
