// @vitest-environment node
import { describe, expect, it } from "vitest";
import { handleProblem } from "./org-form";
import { passwordFormSchema } from "./password-form";

describe("handleProblem", () => {
  it("accepts the handles of the shared namespace", () => {
    for (const handle of ["acme", "a", "acme-structures", "team_2.eng", "0day", "a".repeat(39)]) expect(handleProblem(handle)).toBeNull();
  });

  it("refuses empty, long, uppercase, spaced handles and a leading symbol", () => {
    expect(handleProblem("  ")).toBe("Enter a handle.");
    expect(handleProblem("a".repeat(40))).toMatch(/at most 39/);
    for (const handle of ["Acme", "acme structures", "-acme", ".acme", "acmé"]) expect(handleProblem(handle)).toMatch(/Lowercase/);
  });
});

describe("passwordFormSchema", () => {
  const paths = (values: unknown) => (passwordFormSchema.safeParse(values).error?.issues ?? []).map((i) => i.path.join("."));

  it("accepts a new password of 10 characters typed twice", () => {
    expect(paths({ current: "old-one", next: "0123456789", again: "0123456789" })).toEqual([]);
  });

  it("refuses a short one, a mismatch, the current one again and an empty current", () => {
    expect(paths({ current: "x", next: "short", again: "short" })).toEqual(["next"]);
    expect(paths({ current: "x", next: "0123456789", again: "0123456780" })).toEqual(["again"]);
    expect(paths({ current: "0123456789", next: "0123456789", again: "0123456789" })).toEqual(["next"]);
    expect(paths({ current: "", next: "0123456789", again: "0123456789" })).toEqual(["current"]);
  });
});
