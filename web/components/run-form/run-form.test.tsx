// The generated form in a browser DOM: inline errors tied to their fields, bounds checked
// in the chosen unit, rows added and removed, the execute body, and a 422's problems
// shown under their fields.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildFormModel, defaultValues, type FormValues, type JsonSchema, type TypeCatalog } from "@/lib/schema-form";
import fixture from "@/lib/schema-form/__fixtures__/every-input.json";
import { RunForm, type SubmitOutcome } from "./run-form";
import type { ExecuteBody } from "@/lib/schema-form";

afterEach(cleanup);

// jsdom has no ResizeObserver; Radix's Switch measures its thumb with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const catalog = fixture.catalog as unknown as TypeCatalog;

const schema: JsonSchema = {
  type: "object",
  properties: {
    d: { type: "number", "x-quantity": "Length", "x-unit": "mm", minimum: 1, maximum: 50, description: "Nominal diameter" },
    n: { type: "integer", minimum: 1, default: 2 },
    ok: { type: "boolean", default: true },
    loads: { type: "array", items: { type: "number", "x-quantity": "Force", "x-unit": "kN", minimum: 0 } },
    flange: { type: "object", properties: { t: { type: "number", "x-quantity": "Length", "x-unit": "mm" } }, required: ["t"] },
  },
  required: ["d", "flange"],
};
const model = buildFormModel(schema, [], catalog);

type Submit = (body: ExecuteBody) => Promise<SubmitOutcome>;

function renderForm(onSubmit = vi.fn<Submit>(async () => undefined), initialValues?: FormValues) {
  render(<RunForm model={model} onSubmit={onSubmit} initialValues={initialValues} />);
  return onSubmit;
}

describe("RunForm", () => {
  it("sends a literal chosen in its select as the literal's value, and a switch's state", async () => {
    Element.prototype.scrollIntoView ??= () => {};
    Element.prototype.hasPointerCapture ??= () => false;
    Element.prototype.releasePointerCapture ??= () => {};
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => undefined);
    const literal = buildFormModel({
      type: "object",
      properties: { grade: { enum: [8.8, 10.9, 12.9], default: 8.8 }, mode: { enum: ["fast", "slow"] }, on: { type: "boolean" } },
      required: ["mode"],
    });
    render(<RunForm model={literal} onSubmit={onSubmit} />);
    await user.click(screen.getByRole("combobox", { name: /grade/ }));
    await user.click(await screen.findByRole("option", { name: "12.9" }));
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-mode-error")?.textContent).toBe("Choose one of the options"));
    await user.click(screen.getByRole("combobox", { name: /mode/ }));
    await user.click(await screen.findByRole("option", { name: "slow" }));
    await user.click(screen.getByRole("switch", { name: "on" }));
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ inputs: { grade: 12.9, mode: "slow", on: true }, files: {} }));
  });

  it("labels every control and prefills the defaults", () => {
    renderForm();
    expect(screen.getByLabelText(/^d/)).toHaveProperty("value", "");
    expect(screen.getByLabelText(/^n/)).toHaveProperty("value", "2");
    expect(screen.getByRole("switch", { name: "ok" }).getAttribute("aria-checked")).toBe("true");
    expect(screen.getByRole("combobox", { name: "Unit of d" }).textContent).toContain("mm");
    expect(screen.getByRole("group", { name: /flange/ })).toBeTruthy();
  });

  it("shows the problems inline, tied to their fields, and does not submit", async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();
    await user.type(screen.getByLabelText(/^d/), "51");
    await user.click(screen.getByRole("button", { name: "Run" }));
    const d = screen.getByLabelText(/^d/);
    await waitFor(() => expect(d.getAttribute("aria-invalid")).toBe("true"));
    const error = document.getElementById("in-d-error");
    expect(error?.textContent).toBe("Must be ≤ 50 mm");
    expect(d.getAttribute("aria-describedby")).toContain("in-d-error");
    expect(d.getAttribute("aria-describedby")).toContain("in-d-help");
    expect(document.getElementById("in-flange-t-error")?.textContent).toBe("Required");
    await waitFor(() => expect(document.activeElement).toBe(d));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("checks bounds in the unit chosen, and sends {value, unit}", async () => {
    const user = userEvent.setup();
    const values = defaultValues(model);
    values.d = { value: "", unit: "cm" };
    const onSubmit = renderForm(undefined, values);
    await user.type(screen.getByLabelText(/^d/), "6");
    await user.type(screen.getByLabelText(/^t/), "3");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-d-error")?.textContent).toBe("Must be ≤ 5 cm (50 mm)"));
    await user.clear(screen.getByLabelText(/^d/));
    await user.type(screen.getByLabelText(/^d/), "4,5");
    expect(screen.getByText("= 45 mm")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      inputs: { d: { value: 4.5, unit: "cm" }, n: 2, ok: true, flange: { t: 3 } },
      files: {},
    });
  });

  it("adds and removes list rows", async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();
    await user.type(screen.getByLabelText(/^d/), "10");
    await user.type(screen.getByLabelText(/^t/), "3");
    await user.click(screen.getByRole("button", { name: "Add a row to loads" }));
    await user.click(screen.getByRole("button", { name: "Add a row to loads" }));
    await user.type(screen.getByLabelText("loads[0]"), "1");
    await user.type(screen.getByLabelText("loads[1]"), "-1");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-loads-1-v-error")?.textContent).toBe("Must be ≥ 0 kN"));
    await user.click(screen.getByRole("button", { name: "Remove loads[1]" }));
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ inputs: { loads: [1] } });
  });

  it("shows a 422's problems under their fields, and the others above the button", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => ({
      problems: [
        { pointer: "/flange/t", message: "must be at most 2" },
        { pointer: "/zz", message: "is not an input" },
      ],
    }));
    renderForm(onSubmit);
    await user.type(screen.getByLabelText(/^d/), "10");
    await user.type(screen.getByLabelText(/^t/), "3");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-flange-t-error")?.textContent).toBe("must be at most 2"));
    expect(screen.getByRole("alert").textContent).toContain("/zz: is not an input");
    expect(screen.getByLabelText(/^t/).getAttribute("aria-invalid")).toBe("true");
  });

  it("shows a refusal's message", async () => {
    const user = userEvent.setup();
    renderForm(vi.fn<Submit>(async () => ({ message: "You may not run this function." })));
    await user.type(screen.getByLabelText(/^d/), "10");
    await user.type(screen.getByLabelText(/^t/), "3");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("You may not run this function."));
  });

  it("says so when the function takes no inputs, and still runs it", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => undefined);
    render(<RunForm model={{ fields: [] }} onSubmit={onSubmit} />);
    expect(screen.getByText("This function takes no inputs.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ inputs: {}, files: {} }));
  });
});
