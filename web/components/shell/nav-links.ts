// The main navigation's links, which of them the current page belongs to, and the pages
// drawn without the app's header (sign-in, the OIDC callback, the printable report).
export interface NavLink {
  href: string;
  label: string;
  /** Path prefixes of the pages that belong to this section. */
  sections: string[];
}

export const NAV_LINKS: NavLink[] = [
  { href: "/packages/", label: "Packages", sections: ["/packages", "/functions", "/run"] },
  { href: "/files/", label: "Files", sections: ["/files"] },
  { href: "/jobs/", label: "History", sections: ["/jobs"] },
  { href: "/settings/", label: "Settings", sections: ["/settings"] },
];

/** "/jobs/view/" and "/jobs/view" read the same: the path without its trailing slash ("/" stays). */
export function normalisePath(pathname: string | null | undefined): string {
  const path = pathname || "/";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + "/");
}

export function isActive(link: NavLink, pathname: string | null | undefined): boolean {
  const path = normalisePath(pathname);
  return link.sections.some((prefix) => within(path, prefix));
}

const BARE_PAGES = ["/sign-in", "/auth/callback"];
const PRINT_PAGES = ["/jobs/report"];

export type ShellKind = "app" | "bare" | "print";

/** "app": header and navigation; "bare": the sign-in pages, centred, no navigation; "print": nothing around the page. */
export function shellKind(pathname: string | null | undefined): ShellKind {
  const path = normalisePath(pathname);
  if (PRINT_PAGES.some((prefix) => within(path, prefix))) return "print";
  if (BARE_PAGES.some((prefix) => within(path, prefix))) return "bare";
  return "app";
}
