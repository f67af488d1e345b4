// Files: upload (drag and drop or the button; a progress bar and a cancel button per file),
// then the user's files a page at a time, searchable by name, each downloadable and
// deletable after a confirmation (docs/files.md).
"use client";

import * as React from "react";
import { DropZone } from "@/components/files/drop-zone";
import { FileTable } from "@/components/files/file-table";
import { Pager } from "@/components/files/pager";
import { UploadList } from "@/components/files/upload-list";
import { useUploads } from "@/components/files/use-uploads";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { type FileSort, listFiles } from "@/lib/files";
import type { Page } from "@/lib/types";
import type { StoredFile } from "@/lib/upload";

const PER_PAGE = 20;

export default function FilesPage() {
  const [search, setSearch] = React.useState("");
  const [query, setQuery] = React.useState("");
  const [sort, setSort] = React.useState<FileSort>("-created_at");
  const [page, setPage] = React.useState(1);
  const [reload, setReload] = React.useState(0);
  const [result, setResult] = React.useState<Page<StoredFile> | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listFiles({ page, per_page: PER_PAGE, q: query, sort }, controller.signal).then(setResult, (e: unknown) => {
      if (controller.signal.aborted || isSignInRedirect(e)) return;
      setError(errorText(e));
    });
    return () => controller.abort();
  }, [page, query, sort, reload]);

  // A page emptied by deletes shows the one before it.
  React.useEffect(() => {
    if (result && result.items.length === 0 && page > 1) setPage(page - 1);
  }, [result, page]);

  const refresh = React.useCallback(() => setReload((n) => n + 1), []);
  const uploads = useUploads(refresh);

  const onDeleted = (id: string) => {
    setResult((r) => (r ? { ...r, items: r.items.filter((f) => f.id !== id), total: r.total - 1 } : r));
    refresh();
  };

  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">Files</h1>
      <DropZone onFiles={uploads.add} label="Choose files" hint="Meshes, CSV load cases, STEP files… one or many at once." />
      <UploadList entries={uploads.entries} onCancel={uploads.cancel} onClear={uploads.clearFinished} />

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
          <Label htmlFor="file-search">Search files</Label>
          <Input id="file-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of the name" />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="file-sort">Sort by</Label>
          <select
            id="file-sort"
            value={sort}
            onChange={(e) => {
              setPage(1);
              setSort(e.target.value as FileSort);
            }}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <option value="-created_at">Newest first</option>
            <option value="created_at">Oldest first</option>
            <option value="filename">Name</option>
            <option value="-size">Largest first</option>
            <option value="size">Smallest first</option>
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
        <div className="grid gap-2" aria-busy="true" aria-label="Loading files">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : null}
      {result && result.items.length === 0 ? (
        <p className="text-muted-foreground">{query ? `No file matches “${query}”.` : "No files yet: drop some above."}</p>
      ) : null}
      {result && result.items.length > 0 ? (
        <>
          <p className="text-sm text-muted-foreground">
            {result.total} file{result.total === 1 ? "" : "s"}
            {query ? ` matching “${query}”` : ""}
          </p>
          <FileTable files={result.items} onDeleted={onDeleted} />
        </>
      ) : null}
      {result ? <Pager page={page} perPage={result.per_page} total={result.total} onPage={setPage} /> : null}
    </div>
  );
}
