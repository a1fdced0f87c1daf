import { beforeEach, describe, expect, it, vi } from "vitest";

const listOffices = vi.fn();
vi.mock("./api", () => ({ commands: { listOffices, referenceData: vi.fn() } }));
const { resources } = await import("./resources.svelte");

const terjun = { id: "o1", code: "TERJUN", name: "Kelurahan Terjun", kind: "kelurahan" };

describe("resources", () => {
  beforeEach(() => {
    listOffices.mockReset();
    resources.forget();
  });

  it("asks for the offices once however often they are wanted", async () => {
    listOffices.mockResolvedValue([terjun]);
    expect(await resources.offices.load()).toEqual([terjun]);
    await resources.offices.load();
    expect(resources.offices.current).toEqual([terjun]);
    expect(listOffices).toHaveBeenCalledTimes(1);
  });

  it("asks again after sign-out, after a new sync and after a failure", async () => {
    listOffices.mockRejectedValueOnce(new Error("luring")).mockResolvedValue([terjun]);
    await expect(resources.offices.load()).rejects.toThrow("luring");
    await resources.offices.load();
    resources.forget();
    await resources.offices.load();
    expect(listOffices).toHaveBeenCalledTimes(3);
    resources.sawSync("2026-01-01T00:00:00Z");
    resources.sawSync("2026-01-01T00:00:00Z");
    await resources.offices.load();
    expect(listOffices).toHaveBeenCalledTimes(3);
    resources.sawSync("2026-01-02T00:00:00Z");
    await resources.offices.load();
    expect(listOffices).toHaveBeenCalledTimes(4);
  });
});
