// /run/?package=ID&function=FN[&version=V][&from_job=JOB]: the calculation form generated
// from the function's inputs; submitting starts the job and opens /jobs/view/?id=.
"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { RunCalculation } from "@/components/run-form/run-calculation";

function RunFromQuery() {
  const params = useSearchParams();
  const packageId = params.get("package") ?? "";
  const functionName = params.get("function") ?? "";
  if (!packageId || !functionName) {
    return (
      <div className="grid gap-3">
        <h1 className="text-2xl font-semibold">Run a calculation</h1>
        <p role="alert">
          No function given: open a package and choose the function to run.{" "}
          <Link href="/packages/" className="underline underline-offset-4">
            Packages
          </Link>
        </p>
      </div>
    );
  }
  return (
    <RunCalculation
      packageId={packageId}
      functionName={functionName}
      version={params.get("version") || undefined}
      fromJob={params.get("from_job") || undefined}
    />
  );
}

export default function RunPage() {
  return (
    <Suspense fallback={<p className="text-muted-foreground">Loading…</p>}>
      <RunFromQuery />
    </Suspense>
  );
}
