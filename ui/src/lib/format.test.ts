import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatNip, localDay } from "./format";

describe("formatDate", () => {
  it("writes Indonesian dates by default", () => {
    expect(formatDate("2026-11-29")).toBe("29 November 2026");
    expect(formatDate("1985-03-02")).toBe("2 Maret 1985");
    expect(formatDate("2026-08-17T10:00:00.000Z")).toBe("17 Agustus 2026");
  });
  it("writes English dates when asked", () => {
    expect(formatDate("2026-11-29", "en")).toBe("29 November 2026");
    expect(formatDate("2026-05-01", "en")).toBe("1 May 2026");
  });
  it("leaves what it cannot read alone", () => {
    expect(formatDate("")).toBe("");
    expect(formatDate(null)).toBe("");
    expect(formatDate("kemarin")).toBe("kemarin");
    expect(formatDate("2026-13-01")).toBe("2026-13-01");
  });
});

describe("formatNip", () => {
  it("groups the four parts", () => {
    expect(formatNip("198503122010011002")).toBe("19850312 201001 1 002");
    expect(formatNip("199001152022212003")).toBe("19900115 2022 21 2 003");
  });
  it("leaves a partial NIP alone", () => {
    expect(formatNip("1985")).toBe("1985");
  });
});

describe("formatDateTime", () => {
  it("shows a UTC timestamp in local time", () => {
    const iso = "2026-11-30T21:33:28.000Z";
    const local = new Date(iso);
    const hh = String(local.getHours()).padStart(2, "0");
    expect(formatDateTime(iso)).toMatch(new RegExp(`^\\d{1,2} \\S+ \\d{4} ${hh}\\.33\\.28$`));
    expect(formatDateTime(iso, "en")).toContain(`${hh}:33:28`);
  });
  it("leaves what it cannot read alone", () => {
    expect(formatDateTime("bukan waktu")).toBe("bukan waktu");
  });
});

describe("localDay", () => {
  it("is the laptop's own calendar day of an instant, not UTC's", () => {
    // 23:30 local time: the same day here, whatever the UTC date is.
    const late = new Date(2026, 4, 4, 23, 30);
    expect(localDay(late)).toBe("2026-05-04");
    expect(localDay(new Date(2026, 0, 1, 0, 5))).toBe("2026-01-01");
  });
});
