// @vitest-environment node
// The API client against a real HTTP server on 127.0.0.1 (a free port), which records
// what it was sent and answers what each test scripts.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiRequest, browser, currentCsrfToken, setCsrfToken } from "./api";
import { beginOidcLogin, completeOidcLogin, getMe, localLogin, logout } from "./endpoints";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  contentType?: string;
  body?: string;
}

let server: Server;
let recorded: Recorded[] = [];
let answer: Answer = { status: 200, body: "{}" };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      recorded.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(answer.status, { "Content-Type": answer.contentType ?? "application/json" });
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.NEXT_PUBLIC_API_URL = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

let cookieJar = "";
beforeEach(() => {
  recorded = [];
  answer = { status: 200, body: "{}" };
  cookieJar = "";
  setCsrfToken(undefined);
  vi.spyOn(browser, "cookies").mockImplementation(() => cookieJar);
  vi.spyOn(browser, "here").mockImplementation(() => "/packages/?search=bolt");
  vi.spyOn(browser, "navigate").mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CSRF header", () => {
  it("is sent on a POST with the token the sign-in answered", async () => {
    answer = { status: 200, body: JSON.stringify({ user: { id: "alice" }, csrf_token: "tok-from-login", expires_at: "x" }) };
    await localLogin("alice", "secret");
    await apiRequest("/api/v1/auth/logout", { method: "POST" });
    expect(recorded[1]?.method).toBe("POST");
    expect(recorded[1]?.headers["x-csrf-token"]).toBe("tok-from-login");
  });

  it("comes from /auth/me when the page was reloaded", async () => {
    answer = { status: 200, body: JSON.stringify({ id: "alice", username: "alice", csrf_token: "tok-from-me" }) };
    await getMe();
    await apiRequest("/api/v1/files/f1", { method: "DELETE" });
    expect(recorded[1]?.headers["x-csrf-token"]).toBe("tok-from-me");
  });

  it("falls back on the readable mecapy_csrf cookie", async () => {
    cookieJar = "theme=dark; mecapy_csrf=tok%2Dcookie; other=1";
    expect(currentCsrfToken()).toBe("tok-cookie");
    await apiRequest("/api/v1/auth/tokens", { method: "POST", body: { name: "ci" } });
    expect(recorded[0]?.headers["x-csrf-token"]).toBe("tok-cookie");
    expect(recorded[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(recorded[0]?.body ?? "")).toEqual({ name: "ci" });
  });

  it("is not sent on a GET", async () => {
    setCsrfToken("tok");
    await apiRequest("/api/v1/packages", { query: { page: 2, search: "bolt", owner: undefined } });
    expect(recorded[0]?.url).toBe("/api/v1/packages?page=2&search=bolt");
    expect(recorded[0]?.headers["x-csrf-token"]).toBeUndefined();
  });
});

describe("problem+json", () => {
  it("becomes an ApiError with the problem's type, title, detail, status and request id", async () => {
    answer = {
      status: 429,
      contentType: "application/problem+json",
      body: JSON.stringify({
        type: "https://mecapy.example/problems/account-locked",
        title: "Account locked",
        status: 429,
        detail: "Too many failed sign-ins: try again in a minute.",
        request_id: "req-42",
      }),
    };
    const error = await apiRequest("/api/v1/auth/local/login", { method: "POST", body: {}, redirectOn401: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.type).toBe("https://mecapy.example/problems/account-locked");
    expect(apiError.title).toBe("Account locked");
    expect(apiError.detail).toBe("Too many failed sign-ins: try again in a minute.");
    expect(apiError.status).toBe(429);
    expect(apiError.requestId).toBe("req-42");
    expect(apiError.message).toBe("Too many failed sign-ins: try again in a minute.");
  });

  it("a body that is not a problem still gives an ApiError with the HTTP status", async () => {
    answer = { status: 502, contentType: "text/html", body: "<html>Bad gateway</html>" };
    const error = (await apiRequest("/api/v1/packages").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.type).toBe("about:blank");
  });
});

describe("401", () => {
  const unauthenticated: Answer = {
    status: 401,
    contentType: "application/problem+json",
    body: JSON.stringify({ type: "authentication-required", title: "Sign in", status: 401, detail: "Sign in first.", request_id: "r" }),
  };

  it("sends the browser to sign-in with the page it was on, and throws", async () => {
    answer = unauthenticated;
    setCsrfToken("stale");
    const error = (await apiRequest("/api/v1/auth/me").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(browser.navigate).toHaveBeenCalledWith("/sign-in/?next=%2Fpackages%2F%3Fsearch%3Dbolt");
    expect(currentCsrfToken()).toBeUndefined();
  });

  it("is only an error for the sign-in form (wrong password)", async () => {
    answer = { ...unauthenticated, body: unauthenticated.body?.replace("authentication-required", "invalid-credentials") };
    const error = (await localLogin("alice", "wrong").catch((e: unknown) => e)) as ApiError;
    expect(error.type).toBe("invalid-credentials");
    expect(browser.navigate).not.toHaveBeenCalled();
  });
});

describe("sign-in endpoints", () => {
  it("beginOidcLogin posts the return path as JSON and answers where to send the browser", async () => {
    answer = { status: 200, body: JSON.stringify({ authorization_url: "https://idp.example/auth?x=1", state: "s1" }) };
    const start = await beginOidcLogin("/packages/");
    expect(start.authorization_url).toBe("https://idp.example/auth?x=1");
    expect(recorded[0]?.method).toBe("POST");
    expect(recorded[0]?.url).toBe("/api/v1/auth/login");
    expect(recorded[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(recorded[0]?.body ?? "")).toEqual({ return_to: "/packages/" });
  });

  it("completeOidcLogin posts code and state, then uses the session's CSRF token", async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ user: { id: "bob" }, csrf_token: "tok-oidc", expires_at: "x", return_to: "/packages/" }),
    };
    const signedIn = await completeOidcLogin("the-code", "the-state");
    expect(signedIn.return_to).toBe("/packages/");
    expect(JSON.parse(recorded[0]?.body ?? "")).toEqual({ code: "the-code", state: "the-state" });
    expect(currentCsrfToken()).toBe("tok-oidc");
  });

  it("a refused callback is an error to show, not a redirect", async () => {
    answer = {
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "invalid-state", title: "Invalid state", status: 401, detail: "Start the sign-in again.", request_id: "r" }),
    };
    const error = (await completeOidcLogin("c", "s").catch((e: unknown) => e)) as ApiError;
    expect(error.detail).toBe("Start the sign-in again.");
    expect(browser.navigate).not.toHaveBeenCalled();
  });

  it("logout sends the CSRF token and forgets it", async () => {
    setCsrfToken("tok-session");
    answer = { status: 200, body: JSON.stringify({ signed_out: true, end_session_url: null }) };
    await logout();
    expect(recorded[0]?.headers["x-csrf-token"]).toBe("tok-session");
    expect(currentCsrfToken()).toBeUndefined();
  });
});
