import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { FunctionVersion, PackageVersion } from "@/lib/jobs";
import { ReportInputsTable } from "./report-inputs-table";
import { ReportTests } from "./report-tests";
import { ranByText } from "./calculation-report";

afterEach(cleanup);

const fn: FunctionVersion = {
  id: "fv",
  name: "max_preload",
  package_id: "p",
  inputs: [],
  outputs: [],
  test_results: [
    { name: "M10 x 1.5 class 8.8", passed: true },
    { name: "M16 x 2 class 12.9", passed: false },
  ],
};

describe("ReportTests", () => {
  it("gives the version's counts and this function's cases", () => {
    const version: PackageVersion = { id: "v", package_id: "p", version: "1.0.0", report: { tests: { ran: true, passed: 23, failed: 1 } } };
    render(<ReportTests version={version} fn={fn} />);
    expect(screen.getByText("23 passed")).toBeTruthy();
    expect(screen.getByText("1 failed")).toBeTruthy();
    expect(screen.getByText("This function’s cases: 1 of 2 passed.")).toBeTruthy();
    expect(screen.getByText("Failed:").parentElement?.textContent).toBe("Failed: M16 x 2 class 12.9");
  });

  it("says when the deploy report is missing or the tests did not run", () => {
    const { rerender } = render(<ReportTests fn={{ ...fn, test_results: [] }} />);
    expect(screen.getByText("The version’s deploy report could not be read.")).toBeTruthy();
    expect(screen.getByText("This function has no test cases.")).toBeTruthy();
    rerender(<ReportTests version={{ id: "v", package_id: "p", version: "1", report: { tests: { ran: false } } }} />);
    expect(screen.getByText(/were not run at deployment/)).toBeTruthy();
  });
});

describe("ReportInputsTable", () => {
  it("shows the as-sent column only when the job kept the request", () => {
    const { rerender } = render(<ReportInputsTable rows={[{ name: "d", converted: "10 mm", sent: "1 cm" }]} />);
    expect(screen.getByRole("columnheader", { name: "As sent" })).toBeTruthy();
    expect(screen.getByText("1 cm")).toBeTruthy();
    rerender(<ReportInputsTable rows={[{ name: "d", converted: "10 mm" }]} />);
    expect(screen.queryByRole("columnheader", { name: "As sent" })).toBeNull();
    expect(screen.getByText(/does not keep the request’s inputs as sent/)).toBeTruthy();
  });
});

describe("ranByText", () => {
  const me = { id: "u-1", username: "alice", display_name: "Alice Martin", is_admin: false, roles: [], source: "local" as const };
  it("names the owner in full when it is the signed-in user, else gives the owner", () => {
    expect(ranByText("u-1", me)).toBe("Alice Martin (alice)");
    expect(ranByText("alice", me)).toBe("Alice Martin (alice)");
    expect(ranByText("bob", me)).toBe("bob");
    expect(ranByText(undefined, undefined)).toBeUndefined();
  });
});
