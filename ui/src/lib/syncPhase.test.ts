import { describe, expect, it } from "vitest";
import type { SyncView } from "./bindings";
import { syncPhase } from "./syncPhase";

const view = (status: Partial<SyncView["status"]>, running = false, paused = false): SyncView => ({
  status: {
    enrolled: true,
    hub_url: "http://hub",
    device_id: "d",
    pending: 0,
    last_success_at: null,
    last_attempt_at: null,
    last_error: null,
    open_conflicts: 0,
    rejected: 0,
    files_waiting: 0,
    ...status,
  },
  running,
  paused,
});

describe("syncPhase", () => {
  it("is synced only when nothing waits, conflicts or was refused", () => {
    expect(syncPhase(view({}))).toBe("synced");
    expect(syncPhase(view({ pending: 3 }))).toBe("pending");
    expect(syncPhase(view({ pending: 3, rejected: 1 }))).toBe("rejected");
    expect(syncPhase(view({ rejected: 1, open_conflicts: 2 }))).toBe("conflicts");
  });
  it("says offline while retrying and stopped when a person must act", () => {
    expect(syncPhase(view({ last_error: "putus", pending: 1 }))).toBe("offline");
    expect(syncPhase(view({ last_error: "dicabut" }, false, true))).toBe("stopped");
    expect(syncPhase(view({ last_error: "putus" }, true))).toBe("running");
  });
  it("is not enrolled before enrolment, or before anything is known", () => {
    expect(syncPhase(null)).toBe("notEnrolled");
    expect(syncPhase(view({ enrolled: false }))).toBe("notEnrolled");
  });
});
