// ResultCharts: every chart a job's outputs call for (lib/series.ts), or nothing when
// none of them is a series. `fixed` draws them at one fixed size (the report, print).
"use client";

import type { Port } from "@/lib/jobs";
import { detectCharts } from "@/lib/series";
import { ResultChart } from "./result-chart";

export interface ResultChartsProps {
  outputs: Record<string, unknown> | undefined;
  units?: Record<string, string>;
  ports?: Port[];
  fixed?: { width: number; height: number };
}

export function ResultCharts({ outputs, units, ports, fixed }: ResultChartsProps) {
  const charts = detectCharts(outputs, units, ports);
  if (charts.length === 0) return null;
  return (
    <div className="grid gap-6">
      {charts.map((spec) => (
        <ResultChart key={spec.id} spec={spec} fixed={fixed} />
      ))}
    </div>
  );
}
