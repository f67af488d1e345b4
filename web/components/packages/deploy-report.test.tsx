import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { DeployReport } from "@/lib/packages";
import { UploadError } from "@/lib/upload";
import { DeployFailure } from "./deploy-failure";
import { DeployReportView } from "./deploy-report";
import { problemLine, problemList, testsText } from "./deploy-text";

afterEach(cleanup);

describe("problemLine", () => {
  it("writes a manifest problem as file:line:column message", () => {
    expect(problemLine({ file: "mecapy.yml", line: 7, column: 3, message: "unknown key 'descripton'" })).toBe(
      "mecapy.yml:7:3 unknown key 'descripton'",
    );
  });
  it("takes a scan finding's col and names its rule", () => {
    expect(problemLine({ file: "calc.py", line: 3, col: 0, rule: "network-import", message: "imports socket" })).toBe(
      "calc.py:3:0 imports socket (network-import)",
    );
  });
  it("leaves out what is missing", () => {
    expect(problemLine({ file: "mecapy.yml", message: "no functions" })).toBe("mecapy.yml: no functions");
    expect(problemLine({ message: "bare" })).toBe("bare");
  });
});

describe("testsText and problemList", () => {
  it("says whether the test cases ran", () => {
    expect(testsText({ ran: true, passed: 18, failed: 1 })).toBe("Test cases: 18 passed, 1 failed.");
    expect(testsText({ ran: false, passed: 0, failed: 0 })).toBe("Test cases not run at deploy.");
  });
  it("keeps only well-formed problems", () => {
    expect(problemList({ errors: [{ message: "a", line: 1 }, 3, { line: 2 }] }, "errors")).toEqual([{ message: "a", line: 1 }]);
    expect(problemList({ errors: "nope" }, "errors")).toEqual([]);
  });
});

describe("DeployReportView", () => {
  const report: DeployReport = {
    status: "new-version",
    package: { id: "p1", owner: "acme", owner_kind: "organisation", name: "bolted-joint", full_name: "acme/bolted-joint", visibility: "internal", latest_version: "1.1.0" },
    version: { version: "1.1.0" },
    functions: [
      { name: "min_preload", status: "updated" },
      { name: "area", status: "deployed" },
      { name: "torque", status: "unchanged" },
    ],
    removed_functions: ["old_fn"],
    warnings: [{ file: "mecapy.yml", line: 12, column: 1, message: "unknown top-level key 'norme' is ignored" }],
    notes: ["runtime.requirements is true"],
    tests: { ran: true, passed: 18, failed: 0 },
    interpreter: { version: "3.11.2" },
    duration_ms: 812.4,
  };

  it("shows each function's status, the warnings with their place, the tests and a link to the package", () => {
    render(<DeployReportView report={report} />);
    expect(screen.getByRole("status").textContent).toBe("New version of acme/bolted-joint 1.1.0.");
    // (the trailing slash comes from next.config's trailingSlash, which tests do not load)
    expect(screen.getByRole("link", { name: "acme/bolted-joint" }).getAttribute("href")).toMatch(
      /^\/packages\/view\/?\?id=acme%2Fbolted-joint$/,
    );
    const functions = within(screen.getByRole("list", { name: "Functions" })).getAllByRole("listitem");
    expect(functions.map((f) => f.textContent)).toEqual(["updatedmin_preload", "deployedarea", "unchangedtorque"]);
    expect(screen.getByText("Removed: old_fn")).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Warnings" })).getByText("mecapy.yml:12:1 unknown top-level key 'norme' is ignored")).toBeTruthy();
    expect(screen.getByText("Test cases: 18 passed, 0 failed.")).toBeTruthy();
    expect(screen.getByText("Python 3.11.2 · 812 ms")).toBeTruthy();
  });
});

describe("DeployFailure", () => {
  const refused = (slug: string, detail: string, extra: Record<string, unknown>) =>
    new UploadError("http", { type: `/docs/problems#${slug}`, title: "Unprocessable content", detail, status: 422 }, { detail, ...extra });

  it("lists every manifest error as mecapy.yml:LINE:COL message", () => {
    const error = refused("invalid-manifest", "The manifest has 2 errors; the first: …", {
      errors: [
        { file: "mecapy.yml", line: 7, column: 3, message: "unknown key 'descripton' in 'package'; did you mean 'description'?" },
        { file: "mecapy.yml", line: 15, column: 23, message: "function 'min_preload'.inputs.FA: unknown type 'Forse'; did you mean 'Force'?" },
      ],
      warnings: [],
    });
    render(<DeployFailure error={error} />);
    const lines = within(screen.getByRole("list", { name: "Manifest errors" })).getAllByRole("listitem").map((li) => li.textContent);
    expect(lines).toEqual([
      "mecapy.yml:7:3 unknown key 'descripton' in 'package'; did you mean 'description'?",
      "mecapy.yml:15:23 function 'min_preload'.inputs.FA: unknown type 'Forse'; did you mean 'Force'?",
    ]);
    expect(screen.getByRole("alert").textContent).toContain("Not deployed — Unprocessable content");
  });

  it("shows an import error's traceback and the failed test cases", () => {
    const error = refused("testcases-failed", "1 of 2 test case(s) failed", {
      test_results: {
        min_preload: [
          { name: "axial only", passed: true },
          { name: "with friction", passed: false, failures: [{ port: "F0_min", message: "F0_min: expected 25000, got 24000" }] },
        ],
      },
    });
    render(<DeployFailure error={error} />);
    expect(screen.getByText("1 of 2 test case(s) failed")).toBeTruthy();
    const cases = within(screen.getByRole("list", { name: "Failed test cases" })).getAllByRole("listitem");
    expect(cases.map((c) => c.textContent)).toEqual(["min_preload — with friction: F0_min: expected 25000, got 24000"]);
  });
});
