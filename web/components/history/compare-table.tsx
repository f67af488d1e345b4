// One section (inputs or outputs) of a comparison as a table: the name, job A's value,
// job B's value (each with its unit) and what differs. A differing row is highlighted
// and also says so in words ("Differs", "Only in A"), with the relative difference of
// two numbers, so nothing reads by colour alone.
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatRelative, type CompareRow, type Side } from "@/lib/job-compare";
import { cn } from "@/lib/utils";
import { formatValue } from "@/lib/exact-number";

/** A differing row: a tinted background and a bar on its left edge (an inset shadow: the table body drops the last row's borders). */
export const DIFFERS_ROW = "bg-amber-500/10 shadow-[inset_4px_0_0_0_var(--color-amber-500)]";

function SideValue({ side }: { side: Side }) {
  if (!side.present) return <span className="text-muted-foreground italic">absent</span>;
  return (
    <span className="font-mono tabular-nums [overflow-wrap:anywhere]">
      {formatValue(side.value)}
      {side.unit ? <span className="ml-1 whitespace-nowrap text-muted-foreground">{side.unit}</span> : null}
    </span>
  );
}

function Verdict({ row }: { row: CompareRow }) {
  if (row.state === "same") return <span className="text-muted-foreground">Same</span>;
  if (row.state === "only-a") return <strong className="font-semibold">Only in A</strong>;
  if (row.state === "only-b") return <strong className="font-semibold">Only in B</strong>;
  return (
    <span className="flex flex-wrap items-center gap-x-2">
      <strong className="font-semibold">
        <span aria-hidden>≠ </span>Differs
      </strong>
      {row.relativeDifference !== null ? (
        <span className="font-mono tabular-nums" title="Relative difference of B from A: (B − A) / |A|">
          {formatRelative(row.relativeDifference)}
        </span>
      ) : null}
      {row.a.unit !== row.b.unit ? <span className="text-xs">(units differ)</span> : null}
    </span>
  );
}

export interface CompareTableProps {
  caption: string;
  rows: CompareRow[];
  empty: string;
}

export function CompareTable({ caption, rows, empty }: CompareTableProps) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <Table className="table-fixed">
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col" className="w-[22%]">Name</TableHead>
          <TableHead scope="col" className="w-[26%]">A</TableHead>
          <TableHead scope="col" className="w-[26%]">B</TableHead>
          <TableHead scope="col" className="w-[26%]">Difference</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={`${row.section}:${row.name}`}
            data-diff={row.state}
            className={cn(row.state !== "same" && DIFFERS_ROW)}
          >
            <TableHead scope="row" className="font-mono text-foreground [overflow-wrap:anywhere]">
              {row.name}
            </TableHead>
            <TableCell>
              <SideValue side={row.a} />
            </TableCell>
            <TableCell>
              <SideValue side={row.b} />
            </TableCell>
            <TableCell>
              <Verdict row={row} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
