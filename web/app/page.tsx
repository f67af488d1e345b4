// The dashboard: who is signed in, the latest jobs, and shortcuts to packages, files and
// the history. A signed-out visitor is sent to sign-in and back here.
"use client";

import Link from "next/link";
import { RecentJobs } from "@/components/history/recent-jobs";
import { useRequiredSession } from "@/components/shell/session-provider";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

const SHORTCUTS = [
  { href: "/packages/", title: "Packages", text: "Browse calculation packages, read their functions and run one." },
  { href: "/files/", title: "Files", text: "Upload the files your calculations take as inputs." },
  { href: "/jobs/", title: "History", text: "Every calculation you ran: filter, reopen, compare two." },
];

export default function DashboardPage() {
  const session = useRequiredSession();

  if (session.status === "error") {
    return (
      <p role="alert" className="text-destructive">
        {session.message}
      </p>
    );
  }
  const me = session.status === "signed-in" ? session.me : null;
  return (
    <div className="grid gap-8">
      <section aria-labelledby="welcome" className="grid gap-1">
        {me ? (
          <>
            <h1 id="welcome" className="text-2xl font-semibold">
              Welcome, {me.display_name || me.username}
            </h1>
            <p className="text-sm text-muted-foreground">
              Signed in as <span className="font-mono">@{me.id}</span>
              {me.source === "oidc" ? " through your identity provider" : " with a MecaPy account"}
              {me.is_admin ? " · administrator" : ""}
              {me.organisations?.length ? ` · member of ${me.organisations.map((m) => m.organisation).join(", ")}` : ""}
            </p>
          </>
        ) : (
          <>
            <h1 id="welcome" className="text-2xl font-semibold">
              Welcome
            </h1>
            <p role="status" className="sr-only">
              Loading your account…
            </p>
            <Skeleton aria-hidden className="h-5 w-64" />
          </>
        )}
      </section>

      <section aria-labelledby="shortcuts" className="grid gap-3">
        <h2 id="shortcuts" className="text-lg font-semibold">
          Shortcuts
        </h2>
        <ul className="grid gap-3 sm:grid-cols-3">
          {SHORTCUTS.map((shortcut) => (
            <li key={shortcut.href}>
              <Link
                href={shortcut.href}
                className="block h-full rounded-lg border bg-card p-4 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <span className="font-medium">{shortcut.title}</span>
                <span className="mt-1 block text-sm text-muted-foreground">{shortcut.text}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <Card>
        <CardHeader className="flex-row items-center justify-between gap-4">
          <div className="grid gap-1.5">
            <CardTitle>Latest jobs</CardTitle>
            <CardDescription>Your last five calculations.</CardDescription>
          </div>
          <Button asChild variant="outline" size="sm">
            <Link href="/jobs/">All jobs</Link>
          </Button>
        </CardHeader>
        <CardContent>{me ? <RecentJobs /> : <Skeleton aria-hidden className="h-24 w-full" />}</CardContent>
      </Card>
    </div>
  );
}
