// Packages: the packages the caller may see (theirs, their organisations', internal and
// public ones), searchable by name or description and filtered by owner or public only,
// a page at a time (GET /packages); and "Upload package", which deploys an archive as the
// caller or one of their organisations, then shows the deploy report.
"use client";

import * as React from "react";
import { Pager } from "@/components/files/pager";
import { PackageList } from "@/components/packages/package-list";
import { PackageUploader } from "@/components/packages/package-uploader";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { ownerChoices } from "@/lib/owners";
import { loadSession } from "@/lib/session";
import { searchPackages } from "@/lib/packages";
import type { Me, Package, Page } from "@/lib/types";

const PER_PAGE = 20;
const PUBLIC = "visibility:public";

export default function PackagesPage() {
  const [me, setMe] = React.useState<Me | null>(null);
  const [search, setSearch] = React.useState("");
  const [query, setQuery] = React.useState("");
  const [scope, setScope] = React.useState(""); // "" all, an owner id, or PUBLIC
  const [page, setPage] = React.useState(1);
  const [reload, setReload] = React.useState(0);
  const [result, setResult] = React.useState<Page<Package> | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [uploading, setUploading] = React.useState(false);

  React.useEffect(() => {
    loadSession().then(setMe, () => undefined); // signed out: the public packages still list
  }, []);

  React.useEffect(() => {
    const controller = new AbortController();
    setError(null);
    const filter = scope === PUBLIC ? { visibility: "public" } : scope ? { owner: scope } : {};
    searchPackages({ page, per_page: PER_PAGE, search: query, ...filter }, controller.signal).then(setResult, (e: unknown) => {
      if (controller.signal.aborted || isSignInRedirect(e)) return;
      setError(errorText(e));
    });
    return () => controller.abort();
  }, [page, query, scope, reload]);

  const owners = ownerChoices(me);
  return (
    <div className="grid gap-6">
      {/* min-h-10: the upload button, shown once the session is known, moves nothing. */}
      <div className="flex min-h-10 flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Packages</h1>
        {me ? (
          <Button variant={uploading ? "outline" : "default"} aria-expanded={uploading} aria-controls="upload-package" onClick={() => setUploading(!uploading)}>
            {uploading ? "Close upload" : "Upload package"}
          </Button>
        ) : null}
      </div>
      {uploading ? (
        <section id="upload-package" aria-labelledby="upload-package-title" className="grid gap-3 rounded-lg border p-4">
          <h2 id="upload-package-title" className="text-lg font-semibold">
            Upload package
          </h2>
          <PackageUploader owners={owners} onDeployed={() => setReload((n) => n + 1)} />
        </section>
      ) : null}
      <form
        role="search"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setPage(1);
          setQuery(search.trim());
        }}
      >
        <div className="grid min-w-48 flex-1 gap-2">
          <Label htmlFor="package-search">Search packages</Label>
          <Input id="package-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or description" />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="package-scope">Show</Label>
          <select
            id="package-scope"
            value={scope}
            onChange={(e) => {
              setPage(1);
              setScope(e.target.value);
            }}
            className="h-10 w-56 max-w-full rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <option value="">All I can see</option>
            {owners.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
            <option value={PUBLIC}>Public only</option>
          </select>
        </div>
        <Button type="submit">Search</Button>
      </form>
      {error ? (
        <p role="alert" className="text-destructive">
          {error}
        </p>
      ) : null}
      {!result && !error ? (
        <div className="grid gap-3" aria-busy="true" aria-label="Loading packages">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-24 w-full" />
          ))}
        </div>
      ) : null}
      {result && result.items.length === 0 ? (
        <p className="text-muted-foreground">{query ? `No package matches “${query}”.` : "No packages here yet."}</p>
      ) : null}
      {result && result.items.length > 0 ? <PackageList packages={result.items} /> : null}
      {result ? <Pager page={page} perPage={result.per_page} total={result.total} onPage={setPage} /> : null}
    </div>
  );
}
