// The typed fetch client every page uses to call the MecaPy API.
//
// Contract:
//  - Requests go to NEXT_PUBLIC_API_URL (no trailing slash), or to the page's own origin
//    when it is unset, with credentials included so the session cookie travels (the API
//    allows the UI's origin through CORS when they differ).
//  - Bodies are JSON; answers are parsed as JSON (204 and empty bodies give undefined).
//  - Every request that is not GET/HEAD carries the session's CSRF token as X-CSRF-Token:
//    the token last given by a sign-in or /auth/me (setCsrfToken), else the readable
//    mecapy_csrf cookie (its __Host- form behind TLS).
//  - A non-2xx answer throws an ApiError; an application/problem+json body gives it the
//    problem's type, title, detail and request_id, any other body a generic problem.
//  - A 401 sends the browser to /sign-in/?next=<the page it was on> (unless the call says
//    redirectOn401: false, as the sign-in calls do) and still throws, so callers stop.

export class ApiError extends Error {
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly status: number;
  readonly requestId: string | undefined;

  constructor(init: { type: string; title: string; detail: string; status: number; requestId?: string }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.status = init.status;
    this.requestId = init.requestId;
  }
}

// The browser hooks the client depends on; tests replace them.
export const browser = {
  navigate(url: string): void {
    window.location.assign(url);
  },
  here(): string {
    return window.location.pathname + window.location.search;
  },
  cookies(): string {
    return typeof document === "undefined" ? "" : document.cookie;
  },
};

export const CSRF_HEADER = "X-CSRF-Token";
const CSRF_COOKIES = ["mecapy_csrf", "__Host-mecapy_csrf"];

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function currentCsrfToken(): string | undefined {
  if (csrfToken) return csrfToken;
  for (const part of browser.cookies().split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (CSRF_COOKIES.includes(name)) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function apiBaseUrl(): string {
  return (process.env.NEXT_PUBLIC_API_URL ?? "").replace(/\/+$/, "");
}

export function signInUrl(next: string): string {
  return `/sign-in/?next=${encodeURIComponent(next)}`;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  redirectOn401?: boolean;
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemFrom(response: Response): Promise<ApiError> {
  const contentType = response.headers.get("Content-Type") ?? "";
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const problem = (contentType.includes("json") && body && typeof body === "object" ? body : {}) as Record<
    string,
    unknown
  >;
  const text = (key: string) => (typeof problem[key] === "string" ? (problem[key] as string) : undefined);
  return new ApiError({
    type: text("type") ?? "about:blank",
    title: text("title") ?? (response.statusText || `HTTP ${response.status}`),
    detail: text("detail") ?? "",
    status: typeof problem.status === "number" ? problem.status : response.status,
    requestId: text("request_id"),
  });
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const token = currentCsrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  const response = await fetch(apiBaseUrl() + withQuery(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "include",
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await problemFrom(response);
    if (response.status === 401 && options.redirectOn401 !== false) {
      setCsrfToken(undefined);
      browser.navigate(signInUrl(browser.here()));
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
