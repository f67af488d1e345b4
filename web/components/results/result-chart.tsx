// ResultChart: one chart of a job's series (lib/series.ts decides which) with Recharts —
// a line or a scatter, axis labels with units, a tooltip with exact values.
//
// On screen the chart fills its container's width (responsive) and animates; with `fixed`
// (the calculation report) it is drawn at that exact size without animation, so printing
// never catches it half-drawn or at the wrong width.
"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatExact } from "@/lib/exact-number";
import type { ChartSpec } from "@/lib/series";

export const SERIES_COLOURS = [
  "var(--color-primary)",
  "oklch(0.62 0.19 35)",
  "oklch(0.6 0.15 150)",
  "oklch(0.6 0.17 310)",
  "oklch(0.68 0.14 80)",
  "oklch(0.58 0.12 200)",
];

export interface ResultChartProps {
  spec: ChartSpec;
  /** A fixed size in CSS pixels (print); without it the chart is as wide as its container. */
  fixed?: { width: number; height: number };
  height?: number;
}

const tick = { fill: "var(--color-muted-foreground)", fontSize: 12 };
const exact = (value: unknown) => (typeof value === "number" ? formatExact(value) : String(value));

export function ResultChart({ spec, fixed, height = 300 }: ResultChartProps) {
  const animate = !fixed;
  const size = fixed
    ? { width: fixed.width, height: fixed.height }
    : { responsive: true as const, style: { width: "100%", height } };
  const margin = { top: 8, right: 16, bottom: 28, left: 16 };
  const axes = (
    <>
      <CartesianGrid stroke="var(--color-border)" strokeDasharray="3 3" />
      <XAxis
        dataKey={spec.x.key}
        type="number"
        domain={["dataMin", "dataMax"]}
        tick={tick}
        tickFormatter={exact}
        stroke="var(--color-muted-foreground)"
        label={{ value: spec.x.label, position: "insideBottom", offset: -16, fill: "var(--color-foreground)" }}
      />
      <YAxis
        type="number"
        tick={tick}
        width={64}
        stroke="var(--color-muted-foreground)"
        label={{ value: spec.yLabel, angle: -90, position: "insideLeft", offset: 0, fill: "var(--color-foreground)", style: { textAnchor: "middle" } }}
        {...(spec.kind === "scatter" ? { dataKey: "y" } : {})}
      />
      <Tooltip
        formatter={(value) => exact(value)}
        labelFormatter={(label) => `${spec.x.label}: ${exact(label)}`}
        contentStyle={{ background: "var(--color-popover)", color: "var(--color-popover-foreground)", borderColor: "var(--color-border)" }}
        isAnimationActive={animate}
      />
      {spec.series.length > 1 ? <Legend verticalAlign="top" /> : null}
    </>
  );
  return (
    <figure className="break-inside-avoid" aria-label={`Chart: ${spec.title}`}>
      <figcaption className="mb-2 text-sm font-medium">{spec.title}</figcaption>
      <div className="max-w-full overflow-x-auto">
        {spec.kind === "line" ? (
          <LineChart data={spec.data} margin={margin} {...size}>
            {axes}
            {spec.series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                type="linear"
                stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                strokeWidth={2}
                dot={spec.data.length <= 30}
                isAnimationActive={animate}
              />
            ))}
          </LineChart>
        ) : (
          <ScatterChart margin={margin} {...size}>
            {axes}
            {spec.series.map((s, i) => (
              <Scatter
                key={s.key}
                name={s.label}
                data={spec.data.map((p) => ({ [spec.x.key]: p[spec.x.key], y: p[s.key] }))}
                fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                isAnimationActive={animate}
              />
            ))}
          </ScatterChart>
        )}
      </div>
    </figure>
  );
}
