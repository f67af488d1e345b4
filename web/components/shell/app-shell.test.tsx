// The shell around pages: the navigation marks the current section, the account menu
// names who is signed in, and the sign-in and report pages go without it.
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

let pathname = "/";
vi.mock("next/navigation", () => ({ usePathname: () => pathname }));
const loadSession = vi.fn();
vi.mock("@/lib/session", () => ({ loadSession: () => loadSession(), resetSession: () => undefined }));

const { AppShell } = await import("./app-shell");

beforeEach(() => {
  loadSession.mockResolvedValue({ id: "alice", username: "alice", display_name: "Alice Martin", is_admin: false, roles: [], source: "local" });
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} })) as never;
});
afterEach(() => {
  cleanup();
  loadSession.mockReset();
});

describe("AppShell", () => {
  it("marks the current section and names who is signed in", async () => {
    pathname = "/jobs/compare/";
    render(<AppShell>page</AppShell>);
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe("History");
    expect(await screen.findByRole("button", { name: "Account: Alice Martin" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Skip to content" }).getAttribute("href")).toBe("#main");
    expect(screen.getByRole("main").id).toBe("main");
  });

  it("offers to sign in when nobody is", async () => {
    loadSession.mockResolvedValue(null);
    pathname = "/packages/";
    render(<AppShell>page</AppShell>);
    expect((await screen.findByRole("link", { name: "Sign in" })).getAttribute("href")).toMatch(/^\/sign-in\/?\?next=/);
  });

  it("opens the phone menu with the links, and Escape closes it", async () => {
    const user = userEvent.setup();
    pathname = "/";
    render(<AppShell>page</AppShell>);
    const button = screen.getByRole("button", { name: "Menu" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    await user.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(document.getElementById("mobile-nav")?.textContent).toContain("Settings");
    await user.keyboard("{Escape}");
    expect(document.getElementById("mobile-nav")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("draws the sign-in page without navigation and without asking for the session", () => {
    pathname = "/sign-in/";
    render(<AppShell>form</AppShell>);
    expect(screen.queryByRole("navigation")).toBeNull();
    expect(screen.getByRole("main").textContent).toBe("form");
    expect(loadSession).not.toHaveBeenCalled();
  });

  it("leaves the printable report alone", () => {
    pathname = "/jobs/report/";
    render(<AppShell>report</AppShell>);
    expect(screen.queryByRole("link", { name: "Skip to content" })).toBeNull();
    expect(screen.queryByText("MecaPy")).toBeNull();
  });
});
