// The built-in account form: the browser-side checks, and the server's refusal shown.
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api";
import { signInSchema } from "@/lib/sign-in-schema";
import type { SignedIn } from "@/lib/types";
import { LocalSignInForm } from "./local-sign-in-form";

const signedIn: SignedIn = {
  user: { id: "alice", username: "alice", is_admin: false, roles: [], source: "local" },
  csrf_token: "tok",
  expires_at: "2030-01-01T00:00:00Z",
};

afterEach(cleanup);

describe("signInSchema", () => {
  it("accepts a username and a password, trimming the username", () => {
    expect(signInSchema.parse({ username: "  alice ", password: " p " })).toEqual({ username: "alice", password: " p " });
  });

  it("refuses an empty or blank username and an empty password", () => {
    const result = signInSchema.safeParse({ username: "   ", password: "" });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
    expect(paths).toEqual(["password", "username"]);
  });

  it("refuses absurd lengths", () => {
    expect(signInSchema.safeParse({ username: "a".repeat(255), password: "p" }).success).toBe(false);
    expect(signInSchema.safeParse({ username: "a", password: "p".repeat(1025) }).success).toBe(false);
  });
});

describe("LocalSignInForm", () => {
  it("shows both errors inline and does not call the server when the fields are empty", async () => {
    const signIn = vi.fn(async () => signedIn);
    const onSignedIn = vi.fn();
    render(<LocalSignInForm signIn={signIn} onSignedIn={onSignedIn} />);
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter your username.")).toBeTruthy();
    expect(screen.getByText("Enter your password.")).toBeTruthy();
    expect(screen.getByLabelText("Username").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Username").getAttribute("aria-describedby")).toBe("username-error");
    expect(signIn).not.toHaveBeenCalled();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("posts the trimmed username and the password, then reports the session", async () => {
    const signIn = vi.fn(async () => signedIn);
    const onSignedIn = vi.fn();
    render(<LocalSignInForm signIn={signIn} onSignedIn={onSignedIn} />);
    await userEvent.type(screen.getByLabelText("Username"), " alice ");
    await userEvent.type(screen.getByLabelText("Password"), "correct horse");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(signedIn));
    expect(signIn).toHaveBeenCalledWith("alice", "correct horse");
  });

  it("shows the server's refusal", async () => {
    const signIn = vi.fn(async (): Promise<SignedIn> => {
      throw new ApiError({ type: "invalid-credentials", title: "Invalid credentials", detail: "Wrong username or password.", status: 401 });
    });
    const onSignedIn = vi.fn();
    render(<LocalSignInForm signIn={signIn} onSignedIn={onSignedIn} />);
    await userEvent.type(screen.getByLabelText("Username"), "alice");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong username or password.");
    expect(onSignedIn).not.toHaveBeenCalled();
  });
});
