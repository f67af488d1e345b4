// Where to go after signing in: only a path on this site ("/x", never "//host" or
// "https://..."), so a crafted ?next= cannot send the user elsewhere. Anything else gives "/".
export function safeReturnTo(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/sign-in") || next.startsWith("/auth/callback")) return "/";
  return next;
}
