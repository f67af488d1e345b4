// Everything around a page: the skip link, the header (product name, navigation, theme
// picker, account menu; a menu button under 640 px) and the <main> landmark the skip
// link targets. The sign-in pages get a centred frame without navigation, the printable
// report nothing at all. useSession() works on every page but the sign-in ones, which
// never ask for the session (a visitor there has none).
"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import * as React from "react";
import { ThemeMenu } from "@/components/theme-menu";
import { cn } from "@/lib/utils";
import { MobileNav } from "./mobile-nav";
import { isActive, NAV_LINKS, shellKind } from "./nav-links";
import { SessionProvider } from "./session-provider";
import { UserMenu } from "./user-menu";

function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2 focus:ring-2 focus:ring-ring"
    >
      Skip to content
    </a>
  );
}

function Header() {
  const pathname = usePathname();
  return (
    <header className="relative border-b">
      <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-4">
        <Link href="/" className="rounded-sm font-semibold focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
          MecaPy
        </Link>
        <nav aria-label="Main" className="hidden sm:block">
          <ul className="flex items-center gap-1">
            {NAV_LINKS.map((link) => {
              const active = isActive(link, pathname);
              return (
                <li key={link.href}>
                  <Link
                    href={link.href}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "rounded-md px-2 py-1.5 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                      active ? "font-medium text-foreground" : "text-muted-foreground hover:text-foreground",
                    )}
                  >
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="ml-auto hidden items-center gap-2 sm:flex">
          <ThemeMenu />
          {/* a fixed box: the account button replacing its placeholder moves nothing */}
          <div className="flex w-44 justify-end">
            <UserMenu />
          </div>
        </div>
        <div className="ml-auto sm:hidden">
          <MobileNav />
        </div>
      </div>
    </header>
  );
}

export function AppShell({ children }: { children: React.ReactNode }) {
  const kind = shellKind(usePathname());
  if (kind === "print") {
    return (
      <SessionProvider>
        <main id="main">{children}</main>
      </SessionProvider>
    );
  }
  if (kind === "bare") {
    return (
      <>
        <SkipLink />
        <div className="mx-auto flex max-w-5xl items-center justify-between px-4 pt-6">
          <span className="font-semibold">MecaPy</span>
          <ThemeMenu />
        </div>
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
      </>
    );
  }
  return (
    <SessionProvider>
      <SkipLink />
      <Header />
      <main id="main" className="mx-auto max-w-5xl px-4 py-8">
        {children}
      </main>
    </SessionProvider>
  );
}
