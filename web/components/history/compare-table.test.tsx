// The comparison table names every difference in words, not by colour alone.
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { compareJobs } from "@/lib/job-compare";
import { CompareTable } from "./compare-table";

afterEach(cleanup);

describe("CompareTable", () => {
  const rows = compareJobs(
    { inputs: { d: 10, mu: 0.15, old: 1 }, outputs: {}, inputUnits: { d: "mm" } },
    { inputs: { d: 12, mu: 0.15, new: 2 }, outputs: {}, inputUnits: { d: "mm" } },
  );

  it("labels each row's verdict, with the relative difference and the units", () => {
    render(<CompareTable caption="Inputs" rows={rows} empty="none" />);
    const row = (name: string) => screen.getByRole("rowheader", { name }).closest("tr")!;
    expect(within(row("d")).getByText("Differs")).toBeTruthy();
    expect(within(row("d")).getByText("+20.00 %")).toBeTruthy();
    expect(within(row("d")).getAllByText("mm")).toHaveLength(2);
    expect(row("d").getAttribute("data-diff")).toBe("different");
    expect(within(row("mu")).getByText("Same")).toBeTruthy();
    expect(within(row("old")).getByText("Only in A")).toBeTruthy();
    expect(within(row("old")).getByText("absent")).toBeTruthy();
    expect(within(row("new")).getByText("Only in B")).toBeTruthy();
  });

  it("says so when there is nothing to show", () => {
    render(<CompareTable caption="Outputs" rows={[]} empty="Neither job has outputs." />);
    expect(screen.getByText("Neither job has outputs.")).toBeTruthy();
  });
});
