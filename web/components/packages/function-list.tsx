// The functions of one package version, each a link to its function page, with its
// description and how many inputs and outputs it has.
import Link from "next/link";
import type { FunctionVersion } from "@/lib/packages";

export function functionHref(packageId: string, name: string, version?: string): string {
  const params = new URLSearchParams({ package: packageId, name });
  if (version) params.set("version", version);
  return `/functions/view/?${params.toString()}`;
}

export function FunctionList({
  packageId,
  version,
  functions,
}: {
  packageId: string;
  version?: string;
  functions: FunctionVersion[];
}) {
  if (functions.length === 0) return <p className="text-sm text-muted-foreground">This version has no functions.</p>;
  return (
    <ul className="grid gap-2 sm:grid-cols-2">
      {functions.map((f) => (
        <li key={f.name} className="rounded-md border p-3">
          <Link href={functionHref(packageId, f.name, version)} className="font-mono font-medium underline-offset-4 hover:underline">
            {f.name}
          </Link>
          {f.description ? <p className="mt-1 text-sm text-muted-foreground">{f.description}</p> : null}
          <p className="mt-1 text-xs text-muted-foreground">
            {f.inputs.length} input{f.inputs.length === 1 ? "" : "s"} · {f.outputs.length} output
            {f.outputs.length === 1 ? "" : "s"}
          </p>
        </li>
      ))}
    </ul>
  );
}
