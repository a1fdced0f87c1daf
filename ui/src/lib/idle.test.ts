import { describe, expect, it } from "vitest";
import { DEFAULT_IDLE_MINUTES, idle, setIdleMinutes } from "./idle.svelte";

describe("idle lock time", () => {
  it("defaults to ten minutes", () => {
    expect(DEFAULT_IDLE_MINUTES).toBe(10);
    expect(idle.minutes).toBe(10);
  });
  it("keeps what is set within 1–240 minutes", () => {
    setIdleMinutes(5);
    expect(idle.minutes).toBe(5);
    setIdleMinutes(0);
    expect(idle.minutes).toBe(1);
    setIdleMinutes(1000);
    expect(idle.minutes).toBe(240);
    setIdleMinutes(Number.NaN);
    expect(idle.minutes).toBe(DEFAULT_IDLE_MINUTES);
  });
});
