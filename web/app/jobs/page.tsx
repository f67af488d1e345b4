// /jobs/?function=&status=&from=&to=&page=: the caller's jobs, newest first, filtered as
// the URL says (lib/history-query.ts), a page at a time; pick two to compare them.
"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import * as React from "react";
import { HistoryFiltersForm } from "@/components/history/history-filters";
import { useRequiredSession } from "@/components/shell/session-provider";
import { JobsTable } from "@/components/history/jobs-table";
import { Pagination } from "@/components/history/pagination";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { hasFilters, historyApiQuery, historySearch, parseHistoryQuery, type HistoryFilters } from "@/lib/history-query";
import { compareUrl, listJobs, type Job } from "@/lib/jobs-history";
import type { Page } from "@/lib/types";

const PICK = 2;

function History() {
  const router = useRouter();
  const params = useSearchParams();
  const search = params.toString();
  const filters = React.useMemo(() => parseHistoryQuery(new URLSearchParams(search)), [search]);
  const [result, setResult] = React.useState<Page<Job> | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  // Picked jobs, kept across pages and filters; compared oldest first (A), newest second (B).
  const [picked, setPicked] = React.useState<Job[]>([]);
  const session = useRequiredSession();
  const signedIn = session.status === "signed-in";

  React.useEffect(() => {
    if (!signedIn) return; // signed out, the visitor is on the way to sign-in: nothing to ask
    const controller = new AbortController();
    setResult(null);
    setError(null);
    listJobs(historyApiQuery(filters), controller.signal).then(setResult, (e: unknown) => {
      if (controller.signal.aborted || (e instanceof ApiError && e.status === 401)) return;
      setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached.");
    });
    return () => controller.abort();
  }, [filters, signedIn]);

  const go = (next: HistoryFilters) => router.push(`/jobs/${historySearch(next)}`);
  const toggle = (job: Job) =>
    setPicked((was) =>
      was.some((p) => p.job_id === job.job_id)
        ? was.filter((p) => p.job_id !== job.job_id)
        : was.length < PICK
          ? [...was, job]
          : was,
    );
  const selected = picked.map((p) => p.job_id);
  const [older, newer] = [...picked].sort((x, y) => x.created_at.localeCompare(y.created_at));
  const pages = result ? Math.max(1, Math.ceil(result.total / result.per_page)) : 1;

  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">History</h1>
        <p className="text-sm text-muted-foreground">
          Every calculation you ran{filters.package ? ` in package ${filters.package}` : ""}, newest first. Pick two to
          compare their inputs and outputs.
        </p>
      </div>
      <HistoryFiltersForm filters={filters} onApply={go} />

      <div
        className="sticky top-0 z-10 flex flex-wrap items-center gap-3 rounded-md border bg-background/95 px-3 py-2 text-sm"
        aria-live="polite"
      >
        <span className="text-muted-foreground">
          {selected.length === 0
            ? "Pick two jobs to compare."
            : selected.length === 1
              ? "1 job picked: pick one more."
              : "2 jobs picked."}
        </span>
        <div className="ml-auto flex gap-2">
          {selected.length ? (
            <Button variant="ghost" size="sm" onClick={() => setPicked([])}>
              Clear selection
            </Button>
          ) : null}
          {older && newer ? (
            <Button asChild size="sm">
              <Link href={compareUrl(older.job_id, newer.job_id)}>Compare</Link>
            </Button>
          ) : (
            <Button size="sm" disabled>
              Compare
            </Button>
          )}
        </div>
      </div>

      {error || session.status === "error" ? (
        <p role="alert" className="text-destructive">
          {error ?? (session.status === "error" ? session.message : null)}
        </p>
      ) : !result ? (
        <div aria-busy="true" className="grid gap-2">
          <p role="status" className="sr-only">
            Loading your jobs…
          </p>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} aria-hidden className="h-12 w-full" />
          ))}
        </div>
      ) : result.items.length === 0 ? (
        <div className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          {hasFilters(filters) ? (
            <>
              <p>No job matches these filters.</p>
              <Button variant="link" onClick={() => go({ page: 1 })}>
                Show all jobs
              </Button>
            </>
          ) : filters.page > 1 ? (
            <p>
              There is no page {filters.page}.{" "}
              <Link href="/jobs/" className="underline underline-offset-4">
                Back to the first page
              </Link>
            </p>
          ) : (
            <p>
              You have not run any calculation yet. Pick a function in{" "}
              <Link href="/packages/" className="underline underline-offset-4">
                Packages
              </Link>{" "}
              to run one.
            </p>
          )}
        </div>
      ) : (
        <>
          <p className="text-sm text-muted-foreground">
            {result.total} job{result.total === 1 ? "" : "s"}
          </p>
          <JobsTable jobs={result.items} selected={selected} maxSelected={PICK} onToggle={toggle} />
          <Pagination
            page={filters.page}
            pages={pages}
            hrefFor={(page) => `/jobs/${historySearch({ ...filters, page })}`}
          />
        </>
      )}
    </div>
  );
}

export default function HistoryPage() {
  return (
    <React.Suspense fallback={<h1 className="text-2xl font-semibold">History</h1>}>
      <History />
    </React.Suspense>
  );
}
