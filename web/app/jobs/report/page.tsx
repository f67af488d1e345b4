// /jobs/report/?id=JOB — the print-ready calculation report of one job
// (components/report/calculation-report.tsx).
"use client";

import { useSearchParams } from "next/navigation";
import * as React from "react";
import { CalculationReport } from "@/components/report/calculation-report";

function ReportFromQuery() {
  const id = useSearchParams().get("id");
  if (!id) {
    return (
      <p role="alert" className="text-destructive">
        No job given: open the report from a job’s page, or add ?id=JOB to the address.
      </p>
    );
  }
  return <CalculationReport key={id} id={id} />;
}

export default function ReportPage() {
  return (
    <React.Suspense fallback={<p className="text-muted-foreground">Loading the report…</p>}>
      <ReportFromQuery />
    </React.Suspense>
  );
}
