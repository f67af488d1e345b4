// loadSession: one /auth/me per page load, a 401 as "nobody", never a redirect.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { browser, currentCsrfToken, setCsrfToken } from "./api";
import { loadSession, resetSession } from "./session";

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
}

beforeEach(() => {
  resetSession();
  setCsrfToken(undefined);
  vi.spyOn(browser, "navigate").mockImplementation(() => undefined);
  // The session's readable CSRF cookie: this browser has signed in.
  vi.spyOn(browser, "cookies").mockImplementation(() => "theme=dark; mecapy_csrf=from-cookie");
});

afterEach(() => vi.restoreAllMocks());

describe("loadSession", () => {
  it("answers the caller once for every asker and keeps the CSRF token", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
      answer(200, { id: "alice", username: "alice", is_admin: false, roles: [], source: "local", csrf_token: "tok" }),
    );
    const [first, second] = await Promise.all([loadSession(), loadSession()]);
    expect(first?.id).toBe("alice");
    expect(second).toBe(first);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(currentCsrfToken()).toBe("tok");
  });

  it("asks nothing when this browser holds no session cookie (the API on the same origin)", async () => {
    vi.spyOn(browser, "cookies").mockImplementation(() => "theme=dark");
    const fetch = vi.spyOn(globalThis, "fetch");
    expect(await loadSession()).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("answers null for a 401 without redirecting", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
      answer(401, { type: "authentication-required", title: "Unauthorized", status: 401, detail: "Sign in." }),
    );
    expect(await loadSession()).toBeNull();
    expect(browser.navigate).not.toHaveBeenCalled();
  });

  it("rejects other failures and asks again next time", async () => {
    const fetch = vi
      .spyOn(globalThis, "fetch")
      .mockImplementationOnce(async () => answer(503, { type: "unavailable", title: "Unavailable", status: 503, detail: "Try later." }))
      .mockImplementationOnce(async () => answer(200, { id: "bob", username: "bob", is_admin: false, roles: [], source: "oidc" }));
    await expect(loadSession()).rejects.toThrow("Try later.");
    expect((await loadSession())?.id).toBe("bob");
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
