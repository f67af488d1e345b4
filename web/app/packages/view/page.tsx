// One package (/packages/view/?id=OWNER%2FNAME): its description and tags, its versions
// (yanked ones too, for those who may see them) and the functions of a chosen version,
// each linking to its function page. Those who act for the owner (the owner, or members of
// the owning organisation) also get the visibility switch, archive, yank / unyank and
// "Upload a new version"; the server has the last word and its refusal is shown.
"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import * as React from "react";
import { FunctionList } from "@/components/packages/function-list";
import { PackageControls } from "@/components/packages/package-controls";
import { PackageUploader } from "@/components/packages/package-uploader";
import { VersionTable } from "@/components/packages/version-table";
import { Badge } from "@/components/ui/badge";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { actsFor } from "@/lib/owners";
import { loadSession } from "@/lib/session";
import {
  type FunctionVersion,
  getPackage,
  listFunctions,
  listVersions,
  type PackageDetails,
  type PackageVersion,
} from "@/lib/packages";
import type { Me } from "@/lib/types";

function PackageView({ id }: { id: string }) {
  const [me, setMe] = React.useState<Me | null>(null);
  const [pkg, setPkg] = React.useState<PackageDetails | null>(null);
  const [versions, setVersions] = React.useState<PackageVersion[] | null>(null);
  const [error, setError] = React.useState<{ status: number; text: string } | null>(null);
  const [reload, setReload] = React.useState(0);
  const [chosen, setChosen] = React.useState(""); // "" is the latest version that is not yanked
  const [functions, setFunctions] = React.useState<FunctionVersion[] | null>(null);
  const [functionsError, setFunctionsError] = React.useState<string | null>(null);
  const versionSelect = React.useId();

  React.useEffect(() => {
    loadSession().then(setMe, () => undefined);
  }, []);

  React.useEffect(() => {
    const controller = new AbortController();
    setError(null);
    Promise.all([getPackage(id, controller.signal), listVersions(id, controller.signal)]).then(
      ([p, v]) => {
        setPkg(p);
        setVersions(v.items);
      },
      (e: unknown) => {
        if (controller.signal.aborted || isSignInRedirect(e)) return;
        setError({ status: e instanceof ApiError ? e.status : 0, text: errorText(e) });
      },
    );
    return () => controller.abort();
  }, [id, reload]);

  React.useEffect(() => {
    const controller = new AbortController();
    setFunctions(null);
    setFunctionsError(null);
    listFunctions(id, chosen || undefined, controller.signal).then(
      (answer) => setFunctions(answer.items),
      (e: unknown) => {
        if (controller.signal.aborted || isSignInRedirect(e)) return;
        setFunctionsError(errorText(e));
      },
    );
    return () => controller.abort();
  }, [id, chosen, reload]);

  const refresh = React.useCallback(() => setReload((n) => n + 1), []);

  if (error) {
    return (
      <div className="grid gap-4">
        <h1 className="text-2xl font-semibold">{error.status === 404 ? "Package not found" : "Package"}</h1>
        <p role="alert" className="text-destructive">
          {error.text}
        </p>
        <Link href="/packages/" className="text-sm underline underline-offset-4">
          All packages
        </Link>
      </div>
    );
  }
  if (!pkg || !versions) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading the package">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-5 w-full max-w-xl" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }

  const name = pkg.full_name ?? `${pkg.owner}/${pkg.name}`;
  const canChange = actsFor(me, pkg.owner);
  return (
    <div className="grid gap-8">
      <header className="grid gap-2">
        <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
          <Link href="/packages/" className="underline-offset-4 hover:underline">
            Packages
          </Link>{" "}
          / {pkg.owner}
        </nav>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="font-mono text-2xl font-semibold break-all">{name}</h1>
          <Badge variant="outline">{pkg.visibility}</Badge>
          {pkg.archived ? <Badge variant="secondary">archived</Badge> : null}
        </div>
        <p className="text-sm text-muted-foreground">
          Latest version {pkg.latest_version} · by {pkg.owner}
          {pkg.owner_kind === "organisation" ? " (organisation)" : ""}
        </p>
        {pkg.description ? <p>{pkg.description}</p> : null}
        {pkg.tags?.length ? (
          <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
            {pkg.tags.map((t) => (
              <li key={t}>
                <Badge variant="secondary">{t}</Badge>
              </li>
            ))}
          </ul>
        ) : null}
      </header>

      <section aria-labelledby="functions-title" className="grid gap-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="functions-title" className="text-lg font-semibold">
            Functions
          </h2>
          <div className="grid gap-1">
            <Label htmlFor={versionSelect}>Version</Label>
            <select
              id={versionSelect}
              value={chosen}
              onChange={(e) => setChosen(e.target.value)}
              className="h-9 rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            >
              <option value="">Latest ({pkg.latest_version})</option>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                  {v.yanked ? " (yanked)" : ""}
                </option>
              ))}
            </select>
          </div>
        </div>
        {functionsError ? (
          <p role="alert" className="text-sm text-destructive">
            {functionsError}
          </p>
        ) : functions ? (
          <FunctionList packageId={name} version={chosen || undefined} functions={functions} />
        ) : (
          <Skeleton className="h-24 w-full" />
        )}
      </section>

      <section aria-labelledby="versions-title" className="grid gap-3">
        <h2 id="versions-title" className="text-lg font-semibold">
          Versions
        </h2>
        <VersionTable id={name} versions={versions} latest={pkg.latest_version} canChange={canChange} onChanged={refresh} />
      </section>

      {canChange ? (
        <>
          <section aria-labelledby="settings-title" className="grid gap-3">
            <h2 id="settings-title" className="text-lg font-semibold">
              Settings
            </h2>
            <PackageControls id={name} pkg={pkg} onChanged={(p) => setPkg({ ...pkg, ...p })} />
          </section>
          <section aria-labelledby="new-version-title" className="grid gap-3">
            <h2 id="new-version-title" className="text-lg font-semibold">
              Upload a new version
            </h2>
            <PackageUploader packageId={name} onDeployed={refresh} />
          </section>
        </>
      ) : (
        <p className="text-sm text-muted-foreground">
          {me ? `Only ${pkg.owner}${pkg.owner_kind === "organisation" ? "'s members" : ""} may change this package.` : "Sign in to manage your packages."}
        </p>
      )}
    </div>
  );
}

function FromQuery() {
  const id = useSearchParams().get("id");
  if (!id) {
    return (
      <div className="grid gap-4">
        <h1 className="text-2xl font-semibold">Package</h1>
        <p>
          No package named: open one from the <Link href="/packages/" className="underline underline-offset-4">packages</Link>.
        </p>
      </div>
    );
  }
  return <PackageView key={id} id={id} />;
}

export default function PackageViewPage() {
  return (
    <React.Suspense fallback={<Skeleton className="h-8 w-72" />}>
      <FromQuery />
    </React.Suspense>
  );
}
