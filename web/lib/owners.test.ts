import { describe, expect, it } from "vitest";
import { actsFor, ownerChoices } from "./owners";
import type { Me } from "./types";

const alice: Me = {
  id: "alice",
  username: "alice",
  display_name: "Alice Martin",
  is_admin: false,
  roles: [],
  source: "local",
  organisations: [
    { organisation: "acme", user: "alice", role: "user" },
    { organisation: "beta", user: "alice", role: "admin" },
  ],
};

describe("ownerChoices", () => {
  it("lists the user first, then each organisation", () => {
    expect(ownerChoices(alice).map((o) => o.value)).toEqual(["alice", "acme", "beta"]);
    expect(ownerChoices(alice)[0]?.label).toBe("Alice Martin (you)");
    expect(ownerChoices(null)).toEqual([]);
  });
});

describe("actsFor", () => {
  it("is true for the user and any organisation they belong to, whatever their role", () => {
    expect(actsFor(alice, "alice")).toBe(true);
    expect(actsFor(alice, "acme")).toBe(true);
    expect(actsFor(alice, "beta")).toBe(true);
    expect(actsFor(alice, "bob")).toBe(false);
    expect(actsFor(null, "alice")).toBe(false);
  });
});
