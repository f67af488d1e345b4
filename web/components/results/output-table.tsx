// OutputTable: a job's outputs with their units — name, value (exact), unit and the
// declared description — in the order the function declares them, then any others.
// Each row can copy its value's exact text (hidden when printing); `highlighted` rows are
// set apart (the compare page marks the outputs that differ).
"use client";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatValue } from "@/lib/exact-number";
import type { Port } from "@/lib/jobs";
import { unitOf } from "@/lib/series";
import { cn } from "@/lib/utils";
import { CopyButton } from "./copy-button";
import { OutputValue } from "./output-value";

export interface OutputTableProps {
  outputs: Record<string, unknown>;
  units?: Record<string, string>;
  ports?: Port[];
  /** Show arrays' elements inline (the report) instead of behind a disclosure. */
  expandArrays?: boolean;
  /** Hide the per-row copy buttons (print). */
  copyable?: boolean;
  caption?: string;
  /** Outputs to set apart (e.g. those that differ between two jobs): marked, and named so for screen readers. */
  highlighted?: ReadonlySet<string>;
}

export function orderedOutputNames(outputs: Record<string, unknown>, ports: Port[] | undefined): string[] {
  const declared = (ports ?? []).map((p) => p.name).filter((name) => name in outputs);
  return [...declared, ...Object.keys(outputs).filter((name) => !declared.includes(name))];
}

export function OutputTable({
  outputs,
  units,
  ports,
  expandArrays = false,
  copyable = true,
  caption,
  highlighted,
}: OutputTableProps) {
  const names = orderedOutputNames(outputs, ports);
  if (names.length === 0) return <p className="text-sm text-muted-foreground">This job returned no outputs.</p>;
  return (
    <Table>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Output</TableHead>
          <TableHead scope="col">Value</TableHead>
          <TableHead scope="col">Unit</TableHead>
          <TableHead scope="col" className="hidden sm:table-cell print:table-cell">
            Description
          </TableHead>
          {copyable ? (
            <TableHead scope="col" className="print:hidden">
              <span className="sr-only">Copy</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {names.map((name) => {
          const value = outputs[name];
          const unit = unitOf(name, units, ports);
          const description = ports?.find((p) => p.name === name)?.description;
          const marked = highlighted?.has(name) ?? false;
          return (
            <TableRow key={name} data-highlighted={marked || undefined} className={cn("break-inside-avoid", marked && "bg-amber-100 hover:bg-amber-100 dark:bg-amber-950 dark:hover:bg-amber-950")}>
              <TableHead scope="row" className="h-auto p-2 align-top font-mono text-foreground">
                {name}
                {marked ? <span className="sr-only"> (differs)</span> : null}
              </TableHead>
              <TableCell>
                <OutputValue value={value} expand={expandArrays} />
              </TableCell>
              <TableCell className="font-mono">{unit ?? ""}</TableCell>
              <TableCell className="hidden text-muted-foreground sm:table-cell print:table-cell">{description ?? ""}</TableCell>
              {copyable ? (
                <TableCell className="print:hidden">
                  <CopyButton text={formatValue(value)} what={`Value of ${name}`} aria-label={`Copy the value of ${name}`} className="h-7 px-2 text-xs">
                    Copy
                  </CopyButton>
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
