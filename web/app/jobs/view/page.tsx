// /jobs/view/?id=JOB — one job, live, then its results (components/jobview/job-view.tsx).
"use client";

import { useSearchParams } from "next/navigation";
import * as React from "react";
import { JobView } from "@/components/jobview/job-view";

function JobViewFromQuery() {
  const id = useSearchParams().get("id");
  if (!id) {
    return (
      <p role="alert" className="text-destructive">
        No job given: open a job from your history, or add ?id=JOB to the address.
      </p>
    );
  }
  return <JobView key={id} id={id} />;
}

export default function JobViewPage() {
  return (
    <React.Suspense fallback={<p className="text-muted-foreground">Loading the job…</p>}>
      <JobViewFromQuery />
    </React.Suspense>
  );
}
