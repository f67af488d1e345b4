// One function (/functions/view/?package=OWNER%2FNAME&name=FN[&version=V]): its
// description, its inputs and outputs with type, unit, bounds, default, allowed values and
// file types, its facts (handler, resources, checksum, tests), and "Run", which opens the
// calculation form (/run/?package=&function=[&version=]).
"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import * as React from "react";
import { FunctionFacts } from "@/components/functions/function-facts";
import { PortTable } from "@/components/functions/port-table";
import { runHref } from "@/components/functions/run-href";
import { buttonVariants } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { type FunctionVersion, getFunction } from "@/lib/packages";

function FunctionView({ packageId, name, version }: { packageId: string; name: string; version?: string }) {
  const [fn, setFn] = React.useState<FunctionVersion | null>(null);
  const [error, setError] = React.useState<{ status: number; text: string } | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();
    getFunction(packageId, name, version, controller.signal).then(setFn, (e: unknown) => {
      if (controller.signal.aborted || isSignInRedirect(e)) return;
      setError({ status: e instanceof ApiError ? e.status : 0, text: errorText(e) });
    });
    return () => controller.abort();
  }, [packageId, name, version]);

  const packageLink = (
    <Link href={`/packages/view/?id=${encodeURIComponent(packageId)}`} className="font-mono underline-offset-4 hover:underline">
      {packageId}
    </Link>
  );

  if (error) {
    return (
      <div className="grid gap-4">
        <h1 className="text-2xl font-semibold">{error.status === 404 ? "Function not found" : name}</h1>
        <p role="alert" className="text-destructive">
          {error.text}
        </p>
        <p className="text-sm">Back to {packageLink}</p>
      </div>
    );
  }
  if (!fn) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading the function">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-5 w-full max-w-xl" />
        <Skeleton className="h-48 w-full" />
      </div>
    );
  }

  return (
    <div className="grid gap-8">
      <header className="grid gap-2">
        <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
          <Link href="/packages/" className="underline-offset-4 hover:underline">
            Packages
          </Link>{" "}
          / {packageLink} {fn.version ? `· version ${fn.version}` : ""}
        </nav>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="font-mono text-2xl font-semibold break-all">{fn.name}</h1>
          <Link href={runHref(packageId, fn.name, version)} className={buttonVariants()}>
            Run
          </Link>
        </div>
        {fn.description ? <p className="whitespace-pre-line">{fn.description}</p> : <p className="text-muted-foreground">No description.</p>}
      </header>
      <section aria-labelledby="inputs-title" className="grid gap-3">
        <h2 id="inputs-title" className="text-lg font-semibold">
          Inputs
        </h2>
        <PortTable ports={fn.inputs} kind="inputs" caption={`Inputs of ${fn.name}`} />
      </section>
      <section aria-labelledby="outputs-title" className="grid gap-3">
        <h2 id="outputs-title" className="text-lg font-semibold">
          Outputs
        </h2>
        <PortTable ports={fn.outputs} kind="outputs" caption={`Outputs of ${fn.name}`} />
      </section>
      <section aria-labelledby="facts-title" className="grid gap-3">
        <h2 id="facts-title" className="text-lg font-semibold">
          Details
        </h2>
        <FunctionFacts fn={fn} />
      </section>
    </div>
  );
}

function FromQuery() {
  const params = useSearchParams();
  const packageId = params.get("package");
  const name = params.get("name");
  const version = params.get("version") || undefined;
  if (!packageId || !name) {
    return (
      <div className="grid gap-4">
        <h1 className="text-2xl font-semibold">Function</h1>
        <p>
          No function named: open one from a package&apos;s page, under{" "}
          <Link href="/packages/" className="underline underline-offset-4">
            packages
          </Link>
          .
        </p>
      </div>
    );
  }
  return <FunctionView key={`${packageId}/${name}@${version ?? ""}`} packageId={packageId} name={name} version={version} />;
}

export default function FunctionViewPage() {
  return (
    <React.Suspense fallback={<Skeleton className="h-8 w-64" />}>
      <FromQuery />
    </React.Suspense>
  );
}
