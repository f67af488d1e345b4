// Packages: the packages the caller may see (theirs, their organisations', internal and
// public ones), searchable by name or description, a page at a time (GET /packages).
"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api";
import { listPackages } from "@/lib/endpoints";
import type { Package, Page } from "@/lib/types";

const PER_PAGE = 20;

export default function PackagesPage() {
  const [search, setSearch] = React.useState("");
  const [query, setQuery] = React.useState("");
  const [page, setPage] = React.useState(1);
  const [result, setResult] = React.useState<Page<Package> | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listPackages({ page, per_page: PER_PAGE, search: query }).then(setResult, (e: unknown) => {
      if (controller.signal.aborted || (e instanceof ApiError && e.status === 401)) return;
      setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached.");
    });
    return () => controller.abort();
  }, [page, query]);

  const pages = result ? Math.max(1, Math.ceil(result.total / result.per_page)) : 1;
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">Packages</h1>
      <form
        role="search"
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setPage(1);
          setQuery(search.trim());
        }}
      >
        <div className="grid flex-1 gap-2">
          <Label htmlFor="package-search">Search packages</Label>
          <Input id="package-search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or description" />
        </div>
        <Button type="submit">Search</Button>
      </form>
      {error ? (
        <p role="alert" className="text-destructive">
          {error}
        </p>
      ) : null}
      {!result && !error ? <p className="text-muted-foreground">Loading packages…</p> : null}
      {result && result.items.length === 0 ? (
        <p className="text-muted-foreground">{query ? `No package matches “${query}”.` : "No packages yet."}</p>
      ) : null}
      {result && result.items.length > 0 ? (
        <ul className="grid gap-3">
          {result.items.map((pkg) => (
            <li key={pkg.id} className="rounded-lg border p-4">
              <div className="flex flex-wrap items-baseline gap-2">
                <span className="font-mono font-medium">{pkg.full_name ?? `${pkg.owner}/${pkg.name}`}</span>
                <span className="text-sm text-muted-foreground">v{pkg.latest_version}</span>
                <span className="rounded border px-1.5 text-xs">{pkg.visibility}</span>
                {pkg.archived ? <span className="rounded border px-1.5 text-xs">archived</span> : null}
              </div>
              {pkg.description ? <p className="mt-1 text-sm text-muted-foreground">{pkg.description}</p> : null}
              {pkg.tags?.length ? <p className="mt-1 text-xs text-muted-foreground">{pkg.tags.join(" · ")}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {result && pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-2">
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span className="text-sm">
            Page {page} of {pages}
          </span>
          <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
