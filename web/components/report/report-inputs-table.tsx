// ReportInputsTable: every input of the job with its unit as sent and as converted.
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { InputRow } from "@/lib/report-inputs";

export function ReportInputsTable({ rows }: { rows: InputRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">The function takes no inputs.</p>;
  const withSent = rows.some((r) => r.sent !== undefined);
  return (
    <>
      <Table>
        <caption className="sr-only">Inputs as sent and as converted</caption>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Input</TableHead>
            {withSent ? <TableHead scope="col">As sent</TableHead> : null}
            <TableHead scope="col">As converted (declared unit)</TableHead>
            <TableHead scope="col">Description</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.name}>
              <TableHead scope="row" className="h-auto p-2 align-top font-mono text-foreground">
                {row.name}
              </TableHead>
              {withSent ? (
                <TableCell className="font-mono [overflow-wrap:anywhere]">
                  {row.sent === "default" ? <span className="whitespace-nowrap font-sans text-muted-foreground">(default)</span> : row.sent}
                </TableCell>
              ) : null}
              <TableCell className="font-mono [overflow-wrap:anywhere]">
                {row.converted}
                {row.file?.sha256 ? <span className="block text-xs text-muted-foreground">sha256 {row.file.sha256}</span> : null}
              </TableCell>
              <TableCell className="text-muted-foreground">{row.description ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!withSent ? (
        <p className="text-xs text-muted-foreground">
          This server does not keep the request’s inputs as sent: the values are those the function received, in its
          declared units.
        </p>
      ) : null}
    </>
  );
}
