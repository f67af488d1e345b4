// The inputs or outputs of a function as a table: name (optional ones marked), type,
// unit, constraints (bounds, allowed values, file types), default (inputs only) and
// description; a column no port fills is left out. The
// fields of a struct follow their port as indented rows ("section.d"), each with its own
// type and unit.
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Port, PortType } from "@/lib/packages";
import {
  allowedText,
  boundsText,
  defaultText,
  fileTypesText,
  isOptional,
  typeText,
  unitText,
} from "./io-spec-text";

function constraintsOf(port: Port): string[] {
  return [boundsText(port), allowedText(port), fileTypesText(port.type)].filter(Boolean);
}

interface Columns {
  constraints: boolean;
  defaults: boolean;
}

function FieldRows({ type, path, depth, columns }: { type: PortType; path: string; depth: number; columns: Columns }) {
  if (type.kind !== "struct" || !type.fields) return null;
  return (
    <>
      {type.fields.map((field) => {
        const name = `${path}.${field.name}`;
        const port: Port = { name, type: field.type };
        return [
          <TableRow key={name}>
            <TableCell className="font-mono text-sm" style={{ paddingLeft: `${0.75 + depth}rem` }}>
              {name}
            </TableCell>
            <TableCell className="font-mono text-xs">{typeText(field.type)}</TableCell>
            <TableCell>{unitText(field.type)}</TableCell>
            {columns.constraints ? <TableCell>{constraintsOf(port).join("; ")}</TableCell> : null}
            {columns.defaults ? <TableCell /> : null}
            <TableCell />
          </TableRow>,
          <FieldRows key={`${name}.fields`} type={field.type} path={name} depth={depth + 1} columns={columns} />,
        ];
      })}
    </>
  );
}

export function PortTable({ ports, kind, caption }: { ports: Port[]; kind: "inputs" | "outputs"; caption: string }) {
  if (ports.length === 0) {
    return <p className="text-sm text-muted-foreground">{kind === "inputs" ? "No inputs." : "No outputs."}</p>;
  }
  // Columns no port fills are left out (outputs rarely have bounds, never defaults).
  const columns: Columns = {
    constraints: ports.some((p) => constraintsOf(p).length > 0 || p.type.kind === "struct"),
    defaults: kind === "inputs" && ports.some((p) => p.default !== undefined),
  };
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Name</TableHead>
          <TableHead scope="col">Type</TableHead>
          <TableHead scope="col">Unit</TableHead>
          {columns.constraints ? <TableHead scope="col">Constraints</TableHead> : null}
          {columns.defaults ? <TableHead scope="col">Default</TableHead> : null}
          <TableHead scope="col">Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {ports.map((port) => [
          <TableRow key={port.name}>
            <TableCell className="font-mono text-sm font-medium">
              <span className="inline-flex flex-wrap items-center gap-1.5">
                {port.name}
                {kind === "inputs" && isOptional(port) ? <Badge variant="secondary">optional</Badge> : null}
              </span>
            </TableCell>
            <TableCell className="font-mono text-xs">{typeText(port.type)}</TableCell>
            <TableCell>{unitText(port.type)}</TableCell>
            {columns.constraints ? <TableCell className="min-w-40">{constraintsOf(port).join("; ")}</TableCell> : null}
            {columns.defaults ? <TableCell className="font-mono text-xs">{defaultText(port)}</TableCell> : null}
            <TableCell className="min-w-48 text-muted-foreground">{port.description}</TableCell>
          </TableRow>,
          <FieldRows key={`${port.name}.fields`} type={port.type} path={port.name} depth={1} columns={columns} />,
        ])}
      </TableBody>
    </Table>
  );
}
