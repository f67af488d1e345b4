// @vitest-environment node
import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

describe("safeReturnTo", () => {
  it("keeps a path on this site", () => {
    expect(safeReturnTo("/packages/?search=bolt")).toBe("/packages/?search=bolt");
  });

  it("refuses other sites and the sign-in pages themselves", () => {
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/sign-in/", "/auth/callback/", "", null, undefined]) {
      expect(safeReturnTo(next)).toBe("/");
    }
  });
});
