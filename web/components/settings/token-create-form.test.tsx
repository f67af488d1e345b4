// The "new API token" form: its validation (lib/token-form.ts) and what it sends.
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api";
import type { CreatedToken, NewToken } from "@/lib/settings-api";
import { tokenFormSchema, tokenRequest } from "@/lib/token-form";
import { TokenCreateForm } from "./token-create-form";

afterEach(cleanup);

const created: CreatedToken = {
  id: "t1",
  name: "CI",
  prefix: "mcp_abcd",
  scopes: ["read"],
  created_at: "2026-12-01T10:00:00.000Z",
  token: "mcp_secret",
};

describe("tokenFormSchema", () => {
  const schema = tokenFormSchema(["read", "run"]);
  const issues = (values: unknown) =>
    (schema.safeParse(values).error?.issues ?? []).map((issue) => issue.path.join(".")).sort();

  it("accepts a name, held scopes and an expiry in range, or none", () => {
    expect(issues({ name: "CI", scopes: ["read", "run"], expiresInDays: "3650" })).toEqual([]);
    expect(issues({ name: "CI", scopes: ["read"], expiresInDays: "" })).toEqual([]);
    expect(issues({ name: "CI", scopes: ["read"], expiresInDays: " 1 " })).toEqual([]);
  });

  it("refuses a blank or long name, no scope, a scope not held", () => {
    expect(issues({ name: "  ", scopes: [], expiresInDays: "" })).toEqual(["name", "scopes"]);
    expect(issues({ name: "x".repeat(101), scopes: ["read"], expiresInDays: "" })).toEqual(["name"]);
    expect(issues({ name: "CI", scopes: ["read", "admin"], expiresInDays: "" })).toEqual(["scopes"]);
  });

  it("refuses an expiry out of range or not a whole number of days", () => {
    for (const days of ["0", "3651", "1.5", "-3", "ten"]) {
      expect(issues({ name: "CI", scopes: ["read"], expiresInDays: days })).toEqual(["expiresInDays"]);
    }
  });

  it("makes POST /auth/tokens's body: trimmed name, days as a number, empty as null", () => {
    expect(tokenRequest({ name: " CI ", scopes: ["read"], expiresInDays: "30" })).toEqual({ name: "CI", scopes: ["read"], expires_in_days: 30 });
    expect(tokenRequest({ name: "CI", scopes: ["run"], expiresInDays: "" }).expires_in_days).toBeNull();
  });
});

describe("TokenCreateForm", () => {
  it("offers only the scopes the user holds", () => {
    render(<TokenCreateForm allowedScopes={["read", "run"]} create={vi.fn()} onCreated={vi.fn()} />);
    expect(screen.getAllByRole("checkbox").map((box) => (box as HTMLInputElement).value)).toEqual(["read", "run"]);
    expect(screen.queryByRole("checkbox", { name: /deploy/ })).toBeNull();
  });

  it("shows the problems inline and does not call the server", async () => {
    const user = userEvent.setup();
    const create = vi.fn();
    render(<TokenCreateForm allowedScopes={["read", "run"]} create={create} onCreated={vi.fn()} />);
    await user.click(screen.getByRole("checkbox", { name: /read/ })); // unticks the default
    await user.clear(screen.getByLabelText("Expires after (days)"));
    await user.type(screen.getByLabelText("Expires after (days)"), "9999");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByText(/Name the token/)).toBeTruthy();
    expect(screen.getByText("Choose at least one scope.")).toBeTruthy();
    expect(screen.getByText("Between 1 and 3650 days.")).toBeTruthy();
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(create).not.toHaveBeenCalled();
  });

  it("sends the body and hands the created token over", async () => {
    const user = userEvent.setup();
    const create = vi.fn(async (body: NewToken) => ({ ...created, name: body.name }));
    const onCreated = vi.fn();
    render(<TokenCreateForm allowedScopes={["read", "run", "deploy"]} create={create} onCreated={onCreated} />);
    await user.type(screen.getByLabelText("Name"), "CI");
    await user.click(screen.getByRole("checkbox", { name: /deploy/ }));
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(create).toHaveBeenCalledWith({ name: "CI", scopes: ["read", "deploy"], expires_in_days: 90 });
    expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ token: "mcp_secret" }));
  });

  it("shows the server's refusal", async () => {
    const user = userEvent.setup();
    const create = vi.fn(async () => {
      throw new ApiError({ type: "insufficient-scope", title: "Forbidden", detail: "You do not hold deploy.", status: 403 });
    });
    const onCreated = vi.fn();
    render(<TokenCreateForm allowedScopes={["read"]} create={create} onCreated={onCreated} />);
    await user.type(screen.getByLabelText("Name"), "CI");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect((await screen.findByRole("alert")).textContent).toBe("You do not hold deploy.");
    expect(onCreated).not.toHaveBeenCalled();
  });
});
