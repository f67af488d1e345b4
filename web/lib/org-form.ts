// What the organisation forms accept before asking the server: a handle from the users'
// and organisations' shared namespace ([a-z0-9][a-z0-9._-]{0,38}, as docs/identity.md
// says) for a new organisation or a member to add, and a display name of at most 100
// characters. The server still decides whether a handle is free or a user exists.
export const HANDLE = /^[a-z0-9][a-z0-9._-]{0,38}$/;

/** Why a handle is refused, or null when it is well-formed. */
export function handleProblem(text: string): string | null {
  const handle = text.trim();
  if (!handle) return "Enter a handle.";
  if (handle.length > 39) return "A handle has at most 39 characters.";
  if (!HANDLE.test(handle)) return "Lowercase letters, digits, “.”, “_” and “-”, starting with a letter or digit.";
  return null;
}
