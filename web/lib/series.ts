// Which outputs of a job become charts, against which axis, with which units.
//
// Contract (detectCharts):
//  - A series is an output (or a field of a struct output, named "struct.field") that is
//    an array of at least 2 finite numbers. Anything else stays in the output table only.
//  - An x axis is a series named like an abscissa (x, t, time, …, or ending in _x / _t)
//    or, failing that, the first strictly increasing series another series shares its
//    length with. Every other series of that length is drawn against it, and series of
//    one unit share a chart (one line each).
//  - A named x axis that is not sorted gives a scatter chart (points, no line); a sorted
//    one a line chart.
//  - Series without a partner of their length are drawn against their index (0, 1, …).
//  - An array of [x, y] pairs is a chart of its own: a line when x increases, else a scatter.
//  - Units come from the job's `units` (by output name), then from the output's declared
//    type (a list's element unit); an axis label is "name (unit)", or "name" without one.
import type { Port, PortType } from "./jobs";

export type ChartKind = "line" | "scatter";

export interface Axis {
  /** The key of the x values in each data point ("x", or INDEX_KEY against the index). */
  key: string;
  /** The output it comes from, or undefined for the index. */
  name?: string;
  label: string;
  unit?: string;
}

export interface ChartSeries {
  /** The key of its values in each data point ("y0", "y1", …: output names may hold dots). */
  key: string;
  /** The output it comes from ("y", "curve.y", "points[1]"). */
  name: string;
  label: string;
  unit?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  kind: ChartKind;
  x: Axis;
  /** The y axis label (the series' shared unit). */
  yLabel: string;
  series: ChartSeries[];
  data: Record<string, number>[];
}

export const INDEX_KEY = "index";
export const X_KEY = "x";

const ABSCISSA_NAMES = [
  "x",
  "t",
  "time",
  "s",
  "z",
  "position",
  "distance",
  "abscissa",
  "displacement",
  "strain",
  "frequency",
  "freq",
  "f",
  "angle",
  "theta",
  "step",
  "steps",
  "index",
  "i",
];

interface NamedSeries {
  name: string;
  values: number[];
  unit?: string;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length >= 2 && value.every((v) => typeof v === "number" && Number.isFinite(v));
}

function isPairArray(value: unknown): value is [number, number][] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number" && Number.isFinite(v)))
  );
}

function isIncreasing(values: number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!((values[i] as number) > (values[i - 1] as number))) return false;
  return true;
}

function abscissaRank(name: string): number {
  const leaf = (name.split(".").pop() ?? name).toLowerCase();
  const exact = ABSCISSA_NAMES.indexOf(leaf);
  if (exact >= 0) return exact;
  if (/_(x|t)$/.test(leaf) || /^(x|t)_/.test(leaf)) return ABSCISSA_NAMES.length;
  return -1;
}

/** The unit of an output: the job's units map first, then the declared type (list element, struct field). */
export function unitOf(name: string, units: Record<string, string> | undefined, ports: Port[] | undefined): string | undefined {
  const fromJob = units?.[name];
  if (fromJob) return fromJob;
  const [head, ...rest] = name.split(".");
  let type: PortType | undefined = ports?.find((p) => p.name === head)?.type;
  for (const field of rest) type = type?.fields?.find((f) => f.name === field)?.type ?? type?.element?.fields?.find((f) => f.name === field)?.type;
  while (type && !type.unit && type.element) type = type.element;
  return type?.unit || undefined;
}

export function axisLabel(name: string, unit: string | undefined): string {
  return unit ? `${name} (${unit})` : name;
}

function collect(outputs: Record<string, unknown>, units: Record<string, string> | undefined, ports: Port[] | undefined) {
  const series: NamedSeries[] = [];
  const pairs: NamedSeries[] = [];
  const visit = (name: string, value: unknown, depth: number) => {
    if (isNumberArray(value)) series.push({ name, values: value, unit: unitOf(name, units, ports) });
    else if (isPairArray(value)) pairs.push({ name, values: [], unit: unitOf(name, units, ports) });
    else if (depth === 0 && value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) visit(`${name}.${key}`, inner, 1);
    }
  };
  for (const [name, value] of Object.entries(outputs)) visit(name, value, 0);
  return { series, pairs };
}

function valueAt(outputs: Record<string, unknown>, name: string): unknown {
  let value: unknown = outputs;
  for (const part of name.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

function groupByUnit(list: NamedSeries[]): NamedSeries[][] {
  const groups = new Map<string, NamedSeries[]>();
  for (const s of list) {
    const key = s.unit ?? "";
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()];
}

function yLabelOf(group: NamedSeries[]): string {
  const unit = group[0]?.unit;
  if (group.length === 1) return axisLabel(group[0]!.name, unit);
  return unit ? `(${unit})` : "value";
}

function chartAgainst(x: NamedSeries | undefined, group: NamedSeries[], kind: ChartKind): ChartSpec {
  const length = group[0]!.values.length;
  const xKey = x ? X_KEY : INDEX_KEY;
  const data: Record<string, number>[] = [];
  for (let i = 0; i < length; i++) {
    const point: Record<string, number> = { [xKey]: x ? (x.values[i] as number) : i };
    group.forEach((s, j) => {
      point[`y${j}`] = s.values[i] as number;
    });
    data.push(point);
  }
  const names = group.map((s) => s.name).join(", ");
  return {
    id: `${names} against ${x ? x.name : "index"}`,
    title: x ? `${names} against ${x.name}` : names,
    kind,
    x: x ? { key: xKey, name: x.name, label: axisLabel(x.name, x.unit), unit: x.unit } : { key: INDEX_KEY, label: "index" },
    yLabel: yLabelOf(group),
    series: group.map((s, j) => ({ key: `y${j}`, name: s.name, label: axisLabel(s.name, s.unit), unit: s.unit })),
    data,
  };
}

export function detectCharts(
  outputs: Record<string, unknown> | undefined,
  units?: Record<string, string>,
  ports?: Port[],
): ChartSpec[] {
  if (!outputs) return [];
  const { series, pairs } = collect(outputs, units, ports);
  const charts: ChartSpec[] = [];
  const used = new Set<string>();

  const sameLength = (s: NamedSeries) => series.filter((o) => o !== s && o.values.length === s.values.length);
  const named = series
    .filter((s) => abscissaRank(s.name) >= 0 && sameLength(s).length > 0)
    .sort((a, b) => abscissaRank(a.name) - abscissaRank(b.name));
  const abscissas: NamedSeries[] = [];
  for (const candidate of [...named, ...series.filter((s) => isIncreasing(s.values) && sameLength(s).length > 0)]) {
    if (abscissas.some((a) => a === candidate || a.values.length === candidate.values.length)) continue;
    abscissas.push(candidate);
  }
  for (const x of abscissas) {
    const ys = sameLength(x).filter((s) => !abscissas.includes(s));
    if (ys.length === 0) continue;
    used.add(x.name);
    const kind: ChartKind = isIncreasing(x.values) ? "line" : "scatter";
    for (const group of groupByUnit(ys)) {
      for (const s of group) used.add(s.name);
      charts.push(chartAgainst(x, group, kind));
    }
  }
  for (const group of groupByUnit(series.filter((s) => !used.has(s.name)))) {
    // series drawn against their index: one chart per length and unit
    const byLength = new Map<number, NamedSeries[]>();
    for (const s of group) byLength.set(s.values.length, [...(byLength.get(s.values.length) ?? []), s]);
    for (const same of byLength.values()) charts.push(chartAgainst(undefined, same, "line"));
  }
  for (const p of pairs) {
    const points = valueAt(outputs, p.name) as [number, number][];
    const x: NamedSeries = { name: `${p.name}[0]`, values: points.map((q) => q[0]) };
    const y: NamedSeries = { name: `${p.name}[1]`, values: points.map((q) => q[1]), unit: p.unit };
    const chart = chartAgainst(x, [y], isIncreasing(x.values) ? "line" : "scatter");
    charts.push({ ...chart, id: p.name, title: p.name });
  }
  return charts;
}
