// @vitest-environment node
import { describe, expect, it } from "vitest";
import { isActive, NAV_LINKS, normalisePath, shellKind } from "./nav-links";

const active = (path: string) => NAV_LINKS.filter((link) => isActive(link, path)).map((link) => link.label);

describe("the navigation", () => {
  it("marks the section a page belongs to, with or without the trailing slash", () => {
    expect(active("/jobs/")).toEqual(["History"]);
    expect(active("/jobs/compare")).toEqual(["History"]);
    expect(active("/functions/view/")).toEqual(["Packages"]);
    expect(active("/run")).toEqual(["Packages"]);
    expect(active("/")).toEqual([]);
    expect(active("/jobsearch/")).toEqual([]);
  });

  it("draws the sign-in pages bare, the report without anything, the rest in the app's frame", () => {
    expect(shellKind("/sign-in/")).toBe("bare");
    expect(shellKind("/auth/callback")).toBe("bare");
    expect(shellKind("/jobs/report/")).toBe("print");
    expect(shellKind("/jobs/")).toBe("app");
    expect(shellKind("/sign-inside/")).toBe("app");
    expect(shellKind(null)).toBe("app");
  });

  it("normalises paths", () => {
    expect(normalisePath("/")).toBe("/");
    expect(normalisePath("/settings//")).toBe("/settings");
    expect(normalisePath("")).toBe("/");
  });
});
