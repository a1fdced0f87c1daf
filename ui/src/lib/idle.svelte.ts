// The idle time after which the screen locks, kept per laptop. Default 10 minutes.
const KEY = "pelita.idleMinutes";
export const DEFAULT_IDLE_MINUTES = 10;

function initial(): number {
  try {
    const n = Number(globalThis.localStorage?.getItem(KEY));
    return Number.isFinite(n) && n >= 1 ? n : DEFAULT_IDLE_MINUTES;
  } catch {
    return DEFAULT_IDLE_MINUTES;
  }
}

export const idle = $state({ minutes: initial() });

export function setIdleMinutes(minutes: number): void {
  idle.minutes = Number.isFinite(minutes) ? Math.min(240, Math.max(1, Math.round(minutes))) : DEFAULT_IDLE_MINUTES;
  try {
    globalThis.localStorage?.setItem(KEY, String(idle.minutes));
  } catch {
    // no storage: lasts for this session
  }
}
