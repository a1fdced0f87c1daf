// Who is signed in and what they may do, as the backend says (`session_info`: the permissions
// come from core::auth). App provides it; pages ask `can(action)` and never re-derive a
// permission from roles. The UI only offers what is permitted; the backend enforces it regardless.
import { createContext } from "svelte";
import type { Action, Actor, Role, SessionInfo } from "./bindings";

export class Session {
  actor = $state<Actor | null>(null);
  locked = $state(false);
  /** What the person may do in their own office (`core::auth::permitted`). */
  permissions = $state<Action[]>([]);
  /** Whether they see the whole district (office pickers, office columns). */
  districtWide = $state(false);
  /** The roles they may give an account on this laptop. */
  grantable = $state<Role[]>([]);

  can = (action: Action): boolean => this.permissions.includes(action);

  /** Takes what the backend answered. */
  take(info: SessionInfo): void {
    this.actor = info.actor;
    this.locked = info.locked;
    this.permissions = info.permissions;
    this.districtWide = info.district_wide;
    this.grantable = info.grantable;
  }

  /** Signed in, or unlocked, as `actor` (the permissions come with the next `take`). */
  enter(actor: Actor): void {
    this.actor = actor;
    this.locked = false;
  }

  /** Nobody is signed in: nothing is permitted. */
  end(): void {
    this.actor = null;
    this.locked = false;
    this.permissions = [];
    this.districtWide = false;
    this.grantable = [];
  }
}

const [useSession, setSession] = createContext<Session>();

/** The session of the app around this component (call during component initialisation). */
export { useSession };

/** Makes a session for App and the pages below it. */
export function provideSession(): Session {
  return setSession(new Session());
}
