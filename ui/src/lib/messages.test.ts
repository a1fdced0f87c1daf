import { describe, expect, it } from "vitest";
import { en, id } from "./messages";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("messages", () => {
  it("English has exactly the Indonesian keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });
  it("every text is filled and keeps its placeholders", () => {
    for (const key of Object.keys(id) as (keyof typeof id)[]) {
      expect(id[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
    }
  });
  it("uses the official navigation labels", () => {
    expect([id["nav.employees"], id["nav.trainings"], id["nav.appraisals"], id["nav.analysis"], id["nav.sync"], id["nav.settings"]]).toEqual(
      ["Pegawai", "Pelatihan", "Penilaian Kinerja", "Analisis", "Sinkronisasi", "Pengaturan"],
    );
  });
});
