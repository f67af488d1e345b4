// The versions of a package, newest first: version, date, state (latest, yanked), archive
// size, source checksum and the deploy's test results; with the owner's yank / unyank
// button per version. A refused change shows the server's detail under the table.
"use client";

import * as React from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorText } from "@/lib/error-text";
import { formatDateTime, humanSize } from "@/lib/format";
import { type PackageVersion, setVersionYanked } from "@/lib/packages";
import { testsText } from "./deploy-text";

export function VersionTable({
  id,
  versions,
  latest,
  canChange,
  onChanged,
}: {
  id: string;
  versions: PackageVersion[];
  latest: string;
  canChange: boolean;
  onChanged: () => void;
}) {
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  async function toggle(v: PackageVersion) {
    setBusy(v.version);
    setError(null);
    try {
      await setVersionYanked(id, v.version, !v.yanked);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  if (versions.length === 0) return <p className="text-sm text-muted-foreground">No versions.</p>;
  return (
    <div className="grid gap-2">
      <Table>
        <caption className="sr-only">Versions</caption>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Version</TableHead>
            <TableHead scope="col" className="hidden sm:table-cell">
              Published
            </TableHead>
            <TableHead scope="col" className="hidden md:table-cell">
              Archive
            </TableHead>
            <TableHead scope="col" className="hidden md:table-cell">
              Tests
            </TableHead>
            {canChange ? (
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {versions.map((v) => (
            <TableRow key={v.version}>
              <TableCell>
                <span className="inline-flex flex-wrap items-center gap-1.5">
                  <span className="font-mono">{v.version}</span>
                  {v.version === latest && !v.yanked ? <Badge>latest</Badge> : null}
                  {v.yanked ? <Badge variant="destructive">yanked</Badge> : null}
                </span>
              </TableCell>
              <TableCell className="hidden whitespace-nowrap sm:table-cell">{formatDateTime(v.created_at)}</TableCell>
              <TableCell className="hidden md:table-cell">
                {v.archive_size !== undefined ? humanSize(v.archive_size) : ""}
                {v.source_sha256 ? (
                  <span className="block font-mono text-xs text-muted-foreground" title={`source SHA-256 ${v.source_sha256}`}>
                    {v.source_sha256.slice(0, 12)}
                  </span>
                ) : null}
              </TableCell>
              <TableCell className="hidden text-sm md:table-cell">{v.report ? testsText(v.report.tests) : ""}</TableCell>
              {canChange ? (
                <TableCell className="text-right">
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={busy !== null}
                    onClick={() => toggle(v)}
                    aria-label={`${v.yanked ? "Unyank" : "Yank"} version ${v.version}`}
                  >
                    {busy === v.version ? "…" : v.yanked ? "Unyank" : "Yank"}
                  </Button>
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
