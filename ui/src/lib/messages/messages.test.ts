import { describe, expect, it } from "vitest";
import { domains, messages, type MessageKey } from "./index";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("messages", () => {
  it("each key stands in one domain only", () => {
    const seen = new Map<string, string>();
    for (const [domain, texts] of Object.entries(domains)) {
      for (const key of Object.keys(texts)) {
        expect(seen.get(key), `${key} in ${domain}`).toBeUndefined();
        seen.set(key, domain);
      }
    }
    expect(seen.size).toBe(Object.keys(messages).length);
  });
  it("every key has both languages, filled, with the same placeholders", () => {
    for (const key of Object.keys(messages) as MessageKey[]) {
      const text = messages[key];
      expect(Object.keys(text).sort(), key).toEqual(["en", "id"]);
      expect(text.id.trim(), key).not.toBe("");
      expect(text.en.trim(), key).not.toBe("");
      expect(placeholders(text.en), key).toEqual(placeholders(text.id));
    }
  });
  it("uses the official navigation labels", () => {
    expect(["nav.employees", "nav.trainings", "nav.appraisals", "nav.analysis", "nav.sync", "nav.settings"].map((k) => messages[k as MessageKey].id)).toEqual(
      ["Pegawai", "Pelatihan", "Penilaian Kinerja", "Analisis", "Sinkronisasi", "Pengaturan"],
    );
  });
});
