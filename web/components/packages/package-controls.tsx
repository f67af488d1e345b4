// The owner's controls of a package: its visibility (saved at once with PATCH) and
// archive / unarchive (archiving asks first). A refusal (403 and the like) shows the
// server's detail; onChanged receives the package the server answered.
"use client";

import * as React from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { errorText } from "@/lib/error-text";
import { updatePackage } from "@/lib/packages";
import type { Package, Visibility } from "@/lib/types";

const VISIBILITIES: { value: Visibility; label: string }[] = [
  { value: "private", label: "Private — only the owner" },
  { value: "internal", label: "Internal — the organisation" },
  { value: "public", label: "Public — everyone" },
];

export function PackageControls({
  id,
  pkg,
  onChanged,
}: {
  id: string;
  pkg: Package;
  onChanged: (pkg: Package) => void;
}) {
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [saved, setSaved] = React.useState<string | null>(null);
  const selectId = React.useId();

  async function change(body: { visibility?: Visibility; archived?: boolean }, done: string) {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      onChanged(await updatePackage(id, body));
      setSaved(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-2">
          <Label htmlFor={selectId}>Visibility</Label>
          <select
            id={selectId}
            value={pkg.visibility}
            disabled={busy}
            onChange={(e) => change({ visibility: e.target.value as Visibility }, `Visibility set to ${e.target.value}.`)}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            {VISIBILITIES.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        {pkg.archived ? (
          <Button variant="outline" disabled={busy} onClick={() => change({ archived: false }, "Unarchived.")}>
            Unarchive
          </Button>
        ) : (
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button variant="outline" disabled={busy}>
                Archive…
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Archive {pkg.full_name ?? pkg.name}?</AlertDialogTitle>
                <AlertDialogDescription>
                  Archived packages are left out of listings. Their versions still run, and you can unarchive it later.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction onClick={() => change({ archived: true }, "Archived.")}>Archive</AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        )}
      </div>
      <p aria-live="polite" className="text-sm text-muted-foreground">
        {saved}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
