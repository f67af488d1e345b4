// The package calls against a real HTTP server on 127.0.0.1 (a free port), through jsdom's
// XMLHttpRequest (deploys) and fetch (the rest): which route and body each call sends.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "./api";
import { deployArchive, getFunction, setVersionYanked, updatePackage } from "./packages";

interface Recorded {
  method: string;
  url: string;
  body: string;
}

let server: Server;
let recorded: Recorded[] = [];
const ORIGIN = window.location.origin;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", ORIGIN);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH");
      res.setHeader("Access-Control-Allow-Headers", "Accept, X-CSRF-Token, Content-Type");
      res.writeHead(204);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
    req.on("end", () => {
      recorded.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.writeHead(req.method === "POST" ? 201 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "created", version: { version: "1.0.0" } }));
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
  recorded = [];
  setCsrfToken("tok");
});

const archive = () => new File(["PK\u0003\u0004zip"], "bolted-joint.zip", { type: "application/zip" });

describe("deployArchive", () => {
  it("posts a new package's archive in the field 'archive', with ?owner= for an organisation", async () => {
    const report = await deployArchive(archive(), { owner: "acme" });
    expect(report.status).toBe("created");
    const post = recorded.find((r) => r.method === "POST");
    expect(post?.url).toBe("/api/v1/packages?owner=acme");
    expect(post?.body).toContain('name="archive"; filename="bolted-joint.zip"');
  });

  it("posts to the versions route of a given package, without ?owner=", async () => {
    await deployArchive(archive(), { packageId: "acme/bolted-joint", owner: "ignored" });
    expect(recorded.find((r) => r.method === "POST")?.url).toBe("/api/v1/packages/acme%2Fbolted-joint/versions");
  });

  it("sends no owner for the caller themself", async () => {
    await deployArchive(archive(), {});
    expect(recorded.find((r) => r.method === "POST")?.url).toBe("/api/v1/packages");
  });
});

describe("package changes", () => {
  it("PATCHes the visibility, and a version's yanked flag", async () => {
    await updatePackage("admin/bolted-joint", { visibility: "public" });
    await setVersionYanked("admin/bolted-joint", "1.0.1", true);
    const patches = recorded.filter((r) => r.method === "PATCH");
    expect(patches.map((p) => [p.url, JSON.parse(p.body)])).toEqual([
      ["/api/v1/packages/admin%2Fbolted-joint", { visibility: "public" }],
      ["/api/v1/packages/admin%2Fbolted-joint/versions/1.0.1", { yanked: true }],
    ]);
  });

  it("asks for a function of a pinned version", async () => {
    await getFunction("admin/bolted-joint", "min_preload", "1.0.0");
    expect(recorded[0]?.url).toBe("/api/v1/packages/admin%2Fbolted-joint/functions/min_preload?version=1.0.0");
  });
});
