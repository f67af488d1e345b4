// The history's filter form: what Apply and Clear hand to the page.
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HistoryFiltersForm } from "./history-filters";

afterEach(cleanup);

describe("HistoryFiltersForm", () => {
  it("starts from the URL's filters and applies the edited ones at page 1", async () => {
    const user = userEvent.setup();
    const onApply = vi.fn();
    render(<HistoryFiltersForm filters={{ page: 3, function: "scale", package: "admin/fixtures" }} onApply={onApply} />);
    expect((screen.getByLabelText("Function") as HTMLInputElement).value).toBe("scale");
    await user.clear(screen.getByLabelText("Function"));
    await user.type(screen.getByLabelText("Function"), " max_preload ");
    await user.selectOptions(screen.getByLabelText("Status"), "failed");
    await user.type(screen.getByLabelText("From"), "2026-11-01");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onApply).toHaveBeenCalledWith({
      page: 1,
      package: "admin/fixtures",
      function: "max_preload",
      status: "failed",
      from: "2026-11-01",
      to: undefined,
    });
  });

  it("refuses a range that ends before it starts", async () => {
    const user = userEvent.setup();
    const onApply = vi.fn();
    render(<HistoryFiltersForm filters={{ page: 1, from: "2026-11-10", to: "2026-11-01" }} onApply={onApply} />);
    expect(screen.getByRole("alert").textContent).toMatch(/before its start/);
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onApply).not.toHaveBeenCalled();
  });

  it("clears every filter", async () => {
    const user = userEvent.setup();
    const onApply = vi.fn();
    render(<HistoryFiltersForm filters={{ page: 2, status: "completed" }} onApply={onApply} />);
    await user.click(screen.getByRole("button", { name: "Clear" }));
    expect(onApply).toHaveBeenCalledWith({ page: 1 });
  });
});
