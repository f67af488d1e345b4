// The upload helper against a real HTTP server on 127.0.0.1 (a free port), through jsdom's
// XMLHttpRequest (which sends real requests, with CORS as a browser would). The server
// records each request and answers what the test scripts; it can also hold the answer
// back until the test lets it go, so that a request in flight can be cancelled.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, browser, setCsrfToken } from "./api";
import { describeUploadError, problemSlug, sendForm, UploadError, uploadFile, type UploadProgress } from "./upload";

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
  hold?: boolean;
}

let server: Server;
let recorded: Recorded[] = [];
let answer: Answer = { status: 201, body: "{}" };
let arrived: () => void = () => undefined;
const ORIGIN = window.location.origin;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", ORIGIN);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", "POST");
      res.setHeader("Access-Control-Allow-Headers", "Accept, X-CSRF-Token, Content-Type");
      res.writeHead(204);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
    req.on("end", () => {
      recorded.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      arrived();
      if (answer.hold) return; // never answered: the client must give up itself
      res.writeHead(answer.status, { "Content-Type": answer.contentType ?? "application/json" });
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.NEXT_PUBLIC_API_URL = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  recorded = [];
  answer = { status: 201, body: "{}" };
  arrived = () => undefined;
  setCsrfToken(undefined);
  vi.spyOn(browser, "cookies").mockImplementation(() => "");
  vi.spyOn(browser, "here").mockImplementation(() => "/files/");
  vi.spyOn(browser, "navigate").mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const stored = {
  id: "f1",
  filename: "beam.csv",
  original_filename: "beam.csv",
  size: 200000,
  sha256: "ab",
  content_type: "text/csv",
  created_at: "2026-11-25T20:47:08.233Z",
};

function bigFile(bytes: number, name = "beam.csv"): File {
  return new File(["x".repeat(bytes)], name, { type: "text/csv" });
}

describe("uploadFile", () => {
  it("posts the file as the multipart field 'file' with the CSRF token, and answers the stored file", async () => {
    setCsrfToken("tok-1");
    answer = { status: 201, body: JSON.stringify(stored) };
    const file = await uploadFile(new File(["a,b\n1,2\n"], "beam.csv", { type: "text/csv" }));
    expect(file).toEqual(stored);
    const request = recorded.find((r) => r.method === "POST");
    expect(request?.url).toBe("/api/v1/files");
    expect(request?.headers["x-csrf-token"]).toBe("tok-1");
    expect(request?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.body).toContain('name="file"; filename="beam.csv"');
    expect(request?.body).toContain("a,b\n1,2\n");
  });

  it("takes the first file of a {files: [...]} answer", async () => {
    answer = { status: 201, body: JSON.stringify({ files: [stored] }) };
    expect((await uploadFile(bigFile(10))).id).toBe("f1");
  });

  it("reports progress that grows up to the whole body", async () => {
    answer = { status: 201, body: JSON.stringify(stored) };
    const seen: UploadProgress[] = [];
    await uploadFile(bigFile(200000), { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen[seen.length - 1]!;
    expect(last.total).toBeGreaterThanOrEqual(200000);
    expect(last.loaded).toBe(last.total);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThanOrEqual(seen[i - 1]!.loaded);
  });
});

describe("cancelling", () => {
  it("an abort in flight rejects with kind 'aborted'", async () => {
    answer = { status: 201, hold: true };
    const controller = new AbortController();
    const got = new Promise<void>((resolve) => (arrived = resolve));
    const pending = uploadFile(bigFile(1000), { signal: controller.signal }).catch((e: unknown) => e);
    await got;
    controller.abort();
    const error = (await pending) as UploadError;
    expect(error).toBeInstanceOf(UploadError);
    expect(error.kind).toBe("aborted");
    expect(describeUploadError(error, "beam.csv")).toBe("beam.csv: cancelled.");
  });

  it("an already aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = (await uploadFile(bigFile(10), { signal: controller.signal }).catch((e: unknown) => e)) as UploadError;
    expect(error.kind).toBe("aborted");
    expect(recorded).toHaveLength(0);
  });
});

describe("errors", () => {
  const problem = (status: number, slug: string, detail: string, extra: Record<string, unknown> = {}): Answer => ({
    status,
    contentType: "application/problem+json",
    body: JSON.stringify({ type: `/docs/problems#${slug}`, title: slug, status, detail, request_id: "r1", ...extra }),
  });

  it("a 413 file-too-large becomes an ApiError whose message names the file and keeps the detail", async () => {
    answer = problem(413, "file-too-large", "A file may hold at most 1 GiB.");
    const error = (await uploadFile(bigFile(10, "mesh.step")).catch((e: unknown) => e)) as UploadError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.kind).toBe("http");
    expect(error.status).toBe(413);
    expect(problemSlug(error.type)).toBe("file-too-large");
    expect(error.requestId).toBe("r1");
    expect(describeUploadError(error, "mesh.step")).toBe("mesh.step is larger than the server accepts. A file may hold at most 1 GiB.");
  });

  it("a 413 quota-exceeded says so", async () => {
    answer = problem(413, "quota-exceeded", "Your files may use 10 GiB; 9.9 GiB are used.");
    const error = await uploadFile(bigFile(10)).catch((e: unknown) => e);
    expect(describeUploadError(error, "beam.csv")).toBe(
      "beam.csv does not fit in your storage quota. Your files may use 10 GiB; 9.9 GiB are used.",
    );
  });

  it("keeps every member of the problem (a deploy's manifest errors)", async () => {
    const errors = [{ file: "mecapy.yml", line: 7, column: 3, message: "unknown key" }];
    answer = problem(422, "invalid-manifest", "The manifest has 1 error", { errors });
    const form = new FormData();
    form.append("archive", bigFile(10, "p.zip"));
    const error = (await sendForm("/api/v1/packages", form, { query: { owner: "acme" } }).catch((e: unknown) => e)) as UploadError;
    expect(recorded[0]?.url).toBe("/api/v1/packages?owner=acme");
    expect(error.problem.errors).toEqual(errors);
    expect(describeUploadError(error, "p.zip")).toBe("The manifest has 1 error");
  });

  it("a 401 sends to sign-in and still rejects", async () => {
    answer = problem(401, "authentication-required", "Sign in first.");
    const error = (await uploadFile(bigFile(10)).catch((e: unknown) => e)) as UploadError;
    expect(error.status).toBe(401);
    expect(browser.navigate).toHaveBeenCalledWith("/sign-in/?next=%2Ffiles%2F");
  });

  it("a refused upload does not report completion", async () => {
    answer = problem(413, "file-too-large", "Too large.");
    const seen: UploadProgress[] = [];
    await uploadFile(bigFile(5000), { onProgress: (p) => seen.push(p) }).catch(() => undefined);
    expect(seen.some((p) => p.loaded >= 5000)).toBe(false);
  });

  it("a server that is not there gives kind 'network'", async () => {
    const saved = process.env.NEXT_PUBLIC_API_URL;
    process.env.NEXT_PUBLIC_API_URL = "http://127.0.0.1:1";
    try {
      const error = (await uploadFile(bigFile(10)).catch((e: unknown) => e)) as UploadError;
      expect(error.kind).toBe("network");
      expect(error.status).toBe(0);
    } finally {
      process.env.NEXT_PUBLIC_API_URL = saved;
    }
  });
});
