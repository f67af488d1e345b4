// Signing in from the browser: the built-in account form, and the identity provider
// (Keycloak) through the API's PKCE flow; signing out; an expired session sends the
// user to sign-in and back to where they were.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { closeBrowser, Visit } from "./lib/browser.mjs";
import { signInLocally } from "./lib/flows.mjs";
import { ADMIN_PASSWORD, Mecapyd } from "./lib/server.mjs";

let server;
before(async () => {
  server = await new Mecapyd({ oidc: true }).start();
});
after(async () => {
  await closeBrowser();
  await server?.stop();
});

test("the built-in account: a wrong password is refused in place, the right one signs in", async () => {
  const visit = new Visit("sign-in-local");
  const page = await visit.open();
  // A signed-out visit of the home page makes no failing request (Visit fails on any
  // console error) and offers to sign in.
  await visit.go(server, "/");
  await visit.screenshot("signed-out-home");
  await visit.go(server, "/sign-in/");
  await page.getByRole("button", { name: "Sign in with your organisation" }).waitFor();
  await visit.checkAccessibility("sign-in");
  await visit.screenshot("sign-in");

  // The browser's own checks first: nothing is sent without a username.
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.locator("#username-error").waitFor();

  visit.expectStatus(401);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByText("Wrong username or password").waitFor();
  await visit.screenshot("wrong-password");
  assert.equal(new URL(page.url()).pathname, "/sign-in/");

  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${server.url}/`);
  await page.getByText("admin", { exact: false }).first().waitFor();
  await visit.checkAccessibility("home");
  await visit.screenshot("signed-in");
  await visit.close();
});

test("through the identity provider: PKCE sign-in as a Keycloak user, back to the page asked for", async () => {
  const visit = new Visit("sign-in-oidc");
  const page = await visit.open();
  await visit.go(server, "/sign-in/?next=%2Fpackages%2F");
  await page.getByRole("button", { name: "Sign in with your organisation" }).click();
  // Keycloak's own sign-in page.
  await page.waitForURL((url) => url.pathname.includes("/realms/"));
  const alice = server.keycloakUsers.find((u) => u.username === "alice");
  await page.locator("#username").fill("alice");
  await page.locator("#password").fill(alice.credentials[0].value);
  await page.locator("#kc-login").click();
  // Back through /auth/callback to where the user wanted to go.
  await page.waitForURL(`${server.url}/packages/`);
  await page.waitForLoadState("networkidle");
  await visit.checkAccessibility("packages-after-oidc");
  await visit.screenshot("after-oidc");
  const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me", { credentials: "include" })).json());
  assert.equal(me.id, "alice");
  assert.equal(me.source, "oidc");
  await visit.close();
});

test("a session that ends sends the user to sign-in, and back to the page after", async () => {
  const visit = new Visit("session-expired");
  const page = await visit.open();
  await signInLocally(visit, server, "/packages/");
  assert.equal(new URL(page.url()).pathname, "/packages/");
  // The session ends on the server (signed out elsewhere): the cookie no longer counts.
  const cookies = await visit.context.cookies();
  const session = cookies.find((c) => c.name.endsWith("mecapy_session"));
  assert.ok(session, "a session cookie was set");
  await visit.context.clearCookies({ name: session.name });
  visit.expectStatus(401);
  await visit.go(server, "/settings/");
  await page.waitForURL((url) => url.pathname === "/sign-in/");
  assert.equal(new URL(page.url()).searchParams.get("next"), "/settings/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${server.url}/settings/`);
  await visit.close();
});
