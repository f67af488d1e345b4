// Steps several browser tests share.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ADMIN_PASSWORD, ROOT } from "./server.mjs";

// Signs in on the sign-in page with the built-in admin account; returns on `next`.
export async function signInLocally(visit, server, next = "/") {
  const page = await visit.go(server, `/sign-in/?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.waitForLoadState("networkidle");
  return page;
}

// A zip of an example package (examples/NAME), as an engineer would make it.
export function zipExample(name) {
  const dir = mkdtempSync(path.join(tmpdir(), "mecapy-e2e-zip-"));
  const file = path.join(dir, `${name}.zip`);
  execFileSync("/usr/bin/python3", ["-c", `
import sys, zipfile, pathlib
src = pathlib.Path(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(src.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            z.write(p, p.relative_to(src).as_posix())
`, path.join(ROOT, "examples", name), file]);
  return file;
}

// A file of `size` bytes of text, to upload.
export function textFile(name, size) {
  const dir = mkdtempSync(path.join(tmpdir(), "mecapy-e2e-file-"));
  const file = path.join(dir, name);
  const line = "x,y\n1.5,2.25\n";
  writeFileSync(file, line.repeat(Math.ceil(size / line.length)).slice(0, size));
  return file;
}

// Slows the page's uploads down (DevTools network emulation), so progress is visible.
export async function throttleUploads(visit, bytesPerSecond) {
  const cdp = await visit.context.newCDPSession(visit.page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
  });
  return async () => cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
}

// Waits until the progress bar named `label` shows a value strictly between 0 and 100:
// progress seen part-way, not only at its end.
export async function waitForPartialProgress(page, label) {
  await page.getByRole("progressbar", { name: label }).waitFor();
  await page.waitForFunction((name) => {
    const el = document.querySelector(`[role="progressbar"][aria-label="${name}"]`);
    const now = Number(el?.getAttribute("aria-valuenow"));
    return now > 0 && now < 100;
  }, label);
}
