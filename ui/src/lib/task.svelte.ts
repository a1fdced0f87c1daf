// The state of a call to the backend, as a page shows it: the value it answered, why it failed
// (with the fields a form marks red), whether it still runs, and what was done. Pages run their
// calls through one of these instead of a try/catch each.
import { untrack } from "svelte";
import { fieldErrors, isApiError, messageOf } from "./api";
import { t } from "./i18n.svelte";

export class Task<T = unknown> {
  /** What the last successful run answered; a failed run keeps the one before. */
  value = $state<T | undefined>();
  /** Why the last run failed; "" once one succeeds. */
  error = $state("");
  /** Per field, why the last run was refused (`{code, message, fields}`'s fields). */
  fields = $state<Record<string, string>>({});
  /** Whether the last failure may pass by itself (a sync that failed on the link: retried). */
  retryable = $state(false);
  /** What the last successful run did, in words for the person (see `run`'s `done`). */
  notice = $state("");
  #running = $state(0);
  #describe: (e: unknown) => string;

  /** `describe` turns a failure into the text shown (the message the core sent, by default). */
  constructor(describe: (e: unknown) => string = messageOf) {
    this.#describe = describe;
  }

  get loading(): boolean {
    return this.#running > 0;
  }

  /** One banner's text: the failure, else what was done. */
  get message(): string {
    return this.error || this.notice;
  }

  get failed(): boolean {
    return this.error !== "";
  }

  /**
   * Runs `fn`. Its answer becomes `value` and clears the failure, and `done` (a text, or one made
   * from the answer) becomes the notice; a failure becomes `error` and `fields`. Resolves to the
   * answer, or undefined when it failed.
   */
  async run<R extends T>(fn: () => Promise<R>, done?: string | ((value: R) => string)): Promise<R | undefined> {
    // Untracked: a run started by an effect must not make the effect depend on its own count.
    untrack(() => this.#running++);
    try {
      const value = await fn();
      this.value = value;
      this.error = "";
      this.fields = {};
      this.retryable = false;
      if (done !== undefined) this.notice = typeof done === "string" ? done : done(value);
      return value;
    } catch (e) {
      this.error = this.#describe(e);
      this.fields = fieldErrors(e);
      this.retryable = isApiError(e) && e.retryable === true;
      this.notice = "";
      return undefined;
    } finally {
      untrack(() => this.#running--);
    }
  }

  /** Nothing to say (a new start: another file chosen, say). */
  clear(): void {
    this.error = "";
    this.notice = "";
    this.fields = {};
  }

  /** Shows `text` as done, without a call (a file written by a dialog, say). */
  succeed(text: string): void {
    this.notice = text;
    this.error = "";
  }

  /** Shows `text` as a failure found before calling the backend (two passwords that differ). */
  fail(text: string): void {
    this.error = text;
    this.notice = "";
  }
}

/** A form's banner: "fix what is marked red" when the core named fields, else its message. */
export function formMessage(e: unknown): string {
  return Object.keys(fieldErrors(e)).length ? t("form.fixErrors") : messageOf(e);
}
