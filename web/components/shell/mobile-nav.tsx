// The navigation under 640 px: a "Menu" button that opens a panel with the links, the
// theme picker and the account (who is signed in, sign out). The panel closes on a link,
// on Escape (focus back to the button) and on a change of page.
"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import * as React from "react";
import { ThemeMenu } from "@/components/theme-menu";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { isActive, NAV_LINKS } from "./nav-links";
import { useSession } from "./session-provider";
import { signOut } from "./user-menu";

export function MobileNav() {
  const pathname = usePathname();
  const [open, setOpen] = React.useState(false);
  const session = useSession();

  React.useEffect(() => setOpen(false), [pathname]);

  // Escape closes the panel wherever the focus is (on the button, or inside the panel).
  React.useEffect(() => {
    if (!open) return;
    const close = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      document.getElementById("mobile-nav-button")?.focus();
    };
    document.addEventListener("keydown", close);
    return () => document.removeEventListener("keydown", close);
  }, [open]);

  return (
    <div className="sm:hidden">
      <Button
        id="mobile-nav-button"
        variant="outline"
        size="sm"
        aria-expanded={open}
        aria-controls="mobile-nav"
        onClick={() => setOpen((was) => !was)}
      >
        {open ? "Close" : "Menu"}
      </Button>
      {open ? (
        <div
          id="mobile-nav"
          className="absolute inset-x-0 top-14 z-40 border-b bg-background px-4 pb-4 shadow-md"
        >
          <nav aria-label="Main">
            <ul className="grid gap-1 py-2">
              {NAV_LINKS.map((link) => {
                const active = isActive(link, pathname);
                return (
                  <li key={link.href}>
                    <Link
                      href={link.href}
                      aria-current={active ? "page" : undefined}
                      onClick={() => setOpen(false)}
                      className={cn(
                        "block rounded-md px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                        active ? "bg-accent font-medium text-accent-foreground" : "text-muted-foreground hover:text-foreground",
                      )}
                    >
                      {link.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="flex flex-wrap items-center justify-between gap-2 border-t pt-3">
            <ThemeMenu />
            {session.status === "signed-in" ? (
              <div className="flex items-center gap-2 text-sm">
                <span className="truncate text-muted-foreground">@{session.me.id}</span>
                <Button variant="outline" size="sm" onClick={() => void signOut()}>
                  Sign out
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
