// The one-file upload of the form's File inputs, through jsdom's XMLHttpRequest, against
// a real HTTP server on 127.0.0.1 that allows the page's origin through CORS (as mecapyd
// does for a UI on another origin) and records the multipart body it receives.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, setCsrfToken } from "./api";
import { uploadFile } from "./run-upload";

let server: Server;
let received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answer: { status: number; body: unknown; delayMs?: number } = { status: 201, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    const cors = {
      "Access-Control-Allow-Origin": req.headers.origin ?? "*",
      "Access-Control-Allow-Credentials": "true",
      "Access-Control-Allow-Headers": "Accept, X-CSRF-Token",
      "Access-Control-Allow-Methods": "POST",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("latin1")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      setTimeout(() => {
        res.writeHead(answer.status, { ...cors, "Content-Type": "application/json" });
        res.end(JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.NEXT_PUBLIC_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  received = [];
  setCsrfToken("tok");
});
afterEach(() => setCsrfToken(undefined));

const stored = { id: "f1", filename: "part.stp", original_filename: "part.stp", size: 5, sha256: "x", content_type: "application/octet-stream", created_at: "t" };

describe("uploadFile", () => {
  it("sends the file as the multipart field `file` with the CSRF token, reports progress, and resolves with the file", async () => {
    answer = { status: 201, body: stored };
    const progress: number[] = [];
    const file = await uploadFile(new File(["solid"], "part.stp"), { onProgress: (p) => progress.push(p.loaded / p.total) });
    expect(file).toEqual(stored);
    expect(received[0]?.headers["x-csrf-token"]).toBe("tok");
    expect(received[0]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(received[0]?.body).toMatch(/name="file"; filename="part.stp"/);
    expect(received[0]?.body).toContain("solid");
    expect(progress.at(-1)).toBe(1);
  });

  it("rejects with the problem's detail", async () => {
    answer = { status: 413, body: { type: "/docs/problems#quota-exceeded", title: "Too large", status: 413, detail: "Your quota is full", request_id: "r" } };
    const error = (await uploadFile(new File(["x"], "a.csv")).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(413);
    expect(error.detail).toBe("Your quota is full");
  });

  it("rejects with an AbortError when cancelled", async () => {
    answer = { status: 201, body: stored, delayMs: 2000 };
    const controller = new AbortController();
    const pending = uploadFile(new File(["x"], "a.csv"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
  });
});
