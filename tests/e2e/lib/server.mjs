// A real mecapyd for the browser tests: its own data directory, a free port on
// 127.0.0.1, the built web UI (web/out) served at `/`, the built-in admin account, and
// optionally the Keycloak peer as its OpenID Connect provider. stop() ends it and
// removes its data.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const ADMIN_PASSWORD = "e2e-admin-password";

let servers = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function settings(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MECAPY_")));
  return {
    ...env,
    MECAPY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    MECAPY_PASSWORD_HASH_COST: "min",
    MECAPY_RATE_LIMIT: "0",
    MECAPY_ANONYMOUS_RATE_LIMIT: "0",
    MECAPY_WEB_DIR: path.join(ROOT, "web", "out"),
    ...extra,
  };
}

// The Keycloak peer's settings for mecapyd, when a peer runs ($KEYCLOAK_TEST_PEER_DIR).
export function keycloakSettings(port) {
  const dir = process.env.KEYCLOAK_TEST_PEER_DIR;
  if (!dir) return undefined;
  const base = readFileSync(path.join(dir, "url"), "utf8").trim();
  const realm = JSON.parse(readFileSync(path.join(ROOT, "deploy", "keycloak", "realm-mecapy.json"), "utf8"));
  const api = realm.clients.find((c) => c.clientId === "mecapy-api");
  return {
    MECAPY_OIDC_ISSUER: `${base}/realms/${realm.realm}`,
    MECAPY_OIDC_CLIENT_ID: "mecapy-api",
    MECAPY_OIDC_CLIENT_SECRET: api.secret,
    MECAPY_OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/auth/callback`,
    users: realm.users,
  };
}

export class Mecapyd {
  constructor({ oidc = false } = {}) {
    this.oidc = oidc;
    this.binary = process.env.MECAPYD ?? path.join(ROOT, "build", "src", "main", "mecapyd");
  }

  async start() {
    this.dir = mkdtempSync(path.join(tmpdir(), "mecapy-e2e-"));
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    let extra = {};
    if (this.oidc) {
      const kc = keycloakSettings(this.port);
      if (!kc) throw new Error("the OIDC tests need the Keycloak peer: set KEYCLOAK_TEST_PEER_DIR (tests/e2e/run does)");
      const { users, ...rest } = kc;
      this.keycloakUsers = users;
      extra = rest;
    }
    this.env = settings(extra);
    const n = ++servers;
    const slot = (process.pid % 2048) * 16 + (n % 16);
    const log = openSync(path.join(this.dir, "mecapyd.log"), "a");
    this.process = spawn(
      this.binary,
      ["serve", "--listen", `127.0.0.1:${this.port}`, "--data-dir", this.dir,
       "--sandbox-pool", `mecapy-e2e-${process.pid}-${n}`,
       "--sandbox-uid-range", `${1_300_000_000 + slot * 256}:256`],
      { cwd: this.dir, env: this.env, stdio: ["ignore", log, log] },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.process.exitCode !== null) throw new Error(`mecapyd exited at start: ${this.log()}`);
      try {
        const r = await fetch(`${this.url}/ready`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`mecapyd did not become ready: ${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this;
  }

  log() {
    try {
      return readFileSync(path.join(this.dir, "mecapyd.log"), "utf8").slice(-4000);
    } catch {
      return "(no log)";
    }
  }

  // An API token of the admin (signed in with the built-in account), made once.
  async adminToken() {
    if (!this.token) {
      const login = await fetch(`${this.url}/api/v1/auth/local/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      });
      if (!login.ok) throw new Error(`admin sign-in: ${login.status} ${await login.text()}`);
      const { csrf_token: csrf } = await login.json();
      const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const made = await fetch(`${this.url}/api/v1/auth/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf },
        body: JSON.stringify({ name: "e2e", scopes: ["read", "run", "deploy", "admin"] }),
      });
      if (!made.ok) throw new Error(`token: ${made.status} ${await made.text()}`);
      this.token = (await made.json()).token;
    }
    return this.token;
  }

  // Deploys example packages through the API (scripts/deploy-examples).
  async deployExamples(...names) {
    const token = await this.adminToken();
    execFileSync("/usr/bin/python3", [path.join(ROOT, "scripts", "deploy-examples"), this.url,
      ...names.map((n) => path.join(ROOT, "examples", n))], {
      env: { ...process.env, MECAPY_TOKEN: token },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }

  // A call of the API as the admin, with its token.
  async api(pathname, init = {}) {
    const r = await fetch(this.url + pathname, {
      ...init,
      headers: { Authorization: `Bearer ${await this.adminToken()}`, "Content-Type": "application/json", ...init.headers },
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${init.method ?? "GET"} ${pathname}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((r) => this.process.once("exit", r));
      this.process.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (this.process.exitCode === null) this.process.kill("SIGKILL");
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
