// Where sync stands, in one word the whole app uses: the Sinkronisasi page and the sidebar show
// the same phase, and never "synced" while anything waits, conflicts or was refused.
import type { SyncView } from "./bindings";

export type SyncPhase = "notEnrolled" | "running" | "offline" | "stopped" | "conflicts" | "rejected" | "pending" | "synced";

export function syncPhase(view: SyncView | null): SyncPhase {
  const s = view?.status;
  if (!s?.enrolled) return "notEnrolled";
  if (view?.running) return "running";
  if (s.last_error) return view?.paused ? "stopped" : "offline";
  if (s.open_conflicts > 0) return "conflicts";
  if (s.rejected > 0) return "rejected";
  if (s.pending > 0) return "pending";
  return "synced";
}
