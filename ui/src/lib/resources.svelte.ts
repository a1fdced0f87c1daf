// What many pages need and the backend answers alike all session: the district's offices and the
// official reference lists. Each is asked for once, and forgotten when the session ends or a sync
// has run (a sync may bring the hub's office list), to be asked for again when next wanted.
import { commands } from "./api";
import type { Office, ReferenceData } from "./bindings";

class Resource<T> {
  #fetch: () => Promise<T>;
  #pending: Promise<T> | null = null;
  #value = $state.raw<T | undefined>();

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** The value, asked for the first time it is wanted (again after a failure or `forget`). */
  load(): Promise<T> {
    this.#pending ??= this.#fetch().then(
      (value) => (this.#value = value),
      (e: unknown) => {
        this.#pending = null;
        throw e;
      },
    );
    return this.#pending;
  }

  /** The value as far as it has come: undefined until the first answer (reading it asks). */
  get current(): T | undefined {
    if (!this.#pending) this.load().catch(() => {});
    return this.#value;
  }

  /** Asks again when next wanted; until the answer, the value known stays. */
  forget(): void {
    this.#pending = null;
  }
}

let lastSync: string | null | undefined;

export const resources = {
  offices: new Resource<Office[]>(() => commands.listOffices()),
  reference: new Resource<ReferenceData>(() => commands.referenceData()),

  /** On sign-out: the next session asks again. */
  forget(): void {
    resources.offices.forget();
    resources.reference.forget();
  },

  /** Told when a sync last succeeded (`SyncStatus.last_success_at`): a new one forgets. */
  sawSync(at: string | null): void {
    if (lastSync !== undefined && at !== lastSync) resources.forget();
    lastSync = at;
  },
};
