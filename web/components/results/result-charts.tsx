// ResultCharts: every chart a job's outputs call for (lib/series.ts), or nothing when
// none of them is a series, under a heading. `fixed` draws them at one fixed size (the
// report, print).
"use client";

import dynamic from "next/dynamic";
import type { Port } from "@/lib/jobs";
import { detectCharts } from "@/lib/series";

// Recharts is most of a results page's script: it loads only when a job has a series,
// into a placeholder of the chart's own height (no layout shift).
const ResultChart = dynamic(() => import("./result-chart").then((m) => m.ResultChart), {
  ssr: false,
  loading: () => <div className="h-[300px] animate-pulse rounded-md bg-muted" aria-hidden="true" />,
});

export interface ResultChartsProps {
  outputs: Record<string, unknown> | undefined;
  units?: Record<string, string>;
  ports?: Port[];
  fixed?: { width: number; height: number };
  /** The section's heading; empty for none (a page that titles it itself). */
  title?: string;
}

export function ResultCharts({ outputs, units, ports, fixed, title = "Charts" }: ResultChartsProps) {
  const charts = detectCharts(outputs, units, ports);
  if (charts.length === 0) return null;
  return (
    <section aria-labelledby="charts-title" className="grid gap-6">
      {title ? (
        <h2 id="charts-title" className="text-lg font-semibold">
          {title}
        </h2>
      ) : null}
      {charts.map((spec) => (
        <ResultChart key={spec.id} spec={spec} fixed={fixed} />
      ))}
    </section>
  );
}
