import { commands, type ApiError, type Result } from "./bindings";

export { commands };

/** Called when the backend has ended the session (account disabled, database closed). */
let onSignedOut: (message: string) => void = () => {};
export function whenSignedOut(f: (message: string) => void) {
  onSignedOut = f;
}

/** Unwraps a command result; a failure is thrown as the `{code, message, fields}` the core sent. */
export async function call<T>(pending: Promise<Result<T, ApiError>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  if (result.error.code === "account_disabled") onSignedOut(result.error.message);
  throw result.error;
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** A message for a person, whatever was thrown. */
export function messageOf(e: unknown): string {
  if (isApiError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Field key → message, for placing errors beside form inputs. */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isApiError(e)) for (const f of e.fields) out[f.field] ??= f.message;
  return out;
}
