import { describe, expect, it } from "vitest";
import { i18n, setLocale, t } from "./i18n.svelte";

describe("t", () => {
  it("is Indonesian by default and fills placeholders", () => {
    expect(i18n.locale).toBe("id");
    expect(t("employees.count", { n: 46 })).toBe("46 pegawai");
  });
  it("switches to English", () => {
    setLocale("en");
    expect(t("nav.sync")).toBe("Synchronisation");
    setLocale("id");
    expect(t("nav.sync")).toBe("Sinkronisasi");
  });
  it("leaves unknown placeholders visible rather than blank", () => {
    expect(t("employees.count")).toBe("{n} pegawai");
  });
});
