import { describe, expect, it } from "vitest";
import type { Actor } from "./bindings";
import { Session } from "./session.svelte";

const actor = { user_id: "u", username: "siti", full_name: "Siti", roles: ["Operator"] } as unknown as Actor;

describe("Session", () => {
  it("permits what the backend sent, and nothing once signed out", () => {
    const session = new Session();
    session.take({ actor, locked: false, permissions: ["ViewEmployees", "EditEmployees"], district_wide: true, grantable: ["Operator"] });
    const { can } = session;
    expect([can("EditEmployees"), can("ManageUsers"), session.districtWide]).toEqual([true, false, true]);
    session.end();
    expect([session.actor, can("EditEmployees"), session.districtWide, session.grantable]).toEqual([null, false, false, []]);
  });
});
