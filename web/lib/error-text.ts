// What to show the user for a failed call: the problem's detail (or title), or a generic
// sentence when the server could not be reached.
import { ApiError } from "./api";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  return "The server could not be reached.";
}

// A 401 has already sent the browser to sign-in: nothing to show.
export function isSignInRedirect(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
