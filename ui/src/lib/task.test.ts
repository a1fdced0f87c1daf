import { describe, expect, it } from "vitest";
import { Task } from "./task.svelte";

const refusal = { code: "validation", message: "Periksa isian", fields: [{ field: "nip", message: "NIP salah" }], retryable: false };

describe("Task", () => {
  it("keeps the answer and says what was done", async () => {
    const task = new Task<number>();
    const pending = task.run(async () => 3, (n) => `${n} disimpan`);
    expect(task.loading).toBe(true);
    expect(await pending).toBe(3);
    expect(task.loading).toBe(false);
    expect([task.value, task.error, task.message, task.failed]).toEqual([3, "", "3 disimpan", false]);
  });

  it("turns a refusal into its message and fields, keeping the last answer", async () => {
    const task = new Task<number>();
    await task.run(async () => 1, "ok");
    expect(await task.run(() => Promise.reject(refusal))).toBeUndefined();
    expect([task.value, task.error, task.notice, task.failed]).toEqual([1, "Periksa isian", "", true]);
    expect(task.fields).toEqual({ nip: "NIP salah" });
  });

  it("says whether a failure may pass by itself (a sync cut off by the link)", async () => {
    const task = new Task();
    await task.run(() => Promise.reject({ ...refusal, code: "sync", retryable: true }));
    expect(task.retryable).toBe(true);
    await task.run(() => Promise.reject(refusal));
    expect(task.retryable).toBe(false);
    await task.run(() => Promise.reject({ ...refusal, code: "sync", retryable: true }));
    await task.run(async () => null);
    expect(task.retryable).toBe(false);
  });

  it("clears the failure when a run succeeds", async () => {
    const task = new Task();
    await task.run(() => Promise.reject(new Error("luring")));
    expect(task.message).toBe("luring");
    await task.run(async () => null);
    expect([task.error, task.fields, task.failed]).toEqual(["", {}, false]);
  });

  it("describes a failure its own way when asked to", async () => {
    const task = new Task((e) => `gagal: ${(e as Error).message}`);
    await task.run(() => Promise.reject(new Error("x")));
    expect(task.error).toBe("gagal: x");
  });

  it("shows a failure or a notice found without a call", () => {
    const task = new Task();
    task.fail("Kedua kata sandi tidak sama");
    expect([task.message, task.failed]).toEqual(["Kedua kata sandi tidak sama", true]);
    task.succeed("Berkas disimpan");
    expect([task.message, task.failed]).toEqual(["Berkas disimpan", false]);
    task.clear();
    expect(task.message).toBe("");
  });
});
