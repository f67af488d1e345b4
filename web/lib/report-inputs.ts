// The input rows of a calculation report: each input as the request sent it and as the
// API converted it (into the declared unit, defaults filled in), with file inputs too.
//
// Contract: rows follow the function's declared order, then any other input the job has.
// `sent` is undefined when the job does not carry the request as sent (submitted_inputs),
// "default" when the request left the input out; numbers are written exactly.
import { formatValue, withUnit } from "./exact-number";
import type { Job, Port } from "./jobs";
import { isQuantity } from "./copy-as";

export interface InputRow {
  name: string;
  sent?: string;
  converted: string;
  unit?: string;
  description?: string;
  file?: { id: string; sha256?: string; name?: string };
}

function sentText(value: unknown): string {
  return isQuantity(value) ? withUnit(value.value, value.unit) : formatValue(value);
}

export function reportInputRows(job: Job, ports: Port[] | undefined, fileNames: Record<string, string> = {}): InputRow[] {
  const inputs = job.inputs ?? {};
  const sentInputs = job.submitted_inputs;
  const files = new Map((job.input_files ?? []).map((f) => [f.var, f]));
  const declared = (ports ?? []).map((p) => p.name);
  const names = [
    ...declared.filter((n) => n in inputs || files.has(n) || (sentInputs && n in sentInputs)),
    ...Object.keys(inputs).filter((n) => !declared.includes(n)),
    ...[...files.keys()].filter((n) => !declared.includes(n) && !(n in inputs)),
  ];
  return names.map((name) => {
    const port = ports?.find((p) => p.name === name);
    const unit = port?.type?.unit;
    const file = files.get(name);
    const row: InputRow = {
      name,
      unit,
      description: port?.description || undefined,
      converted: file ? (fileNames[name] ?? file.file_id) : withUnit(inputs[name], unit),
    };
    if (file) row.file = { id: file.file_id, sha256: file.sha256, name: fileNames[name] };
    if (sentInputs) row.sent = file ? row.converted : name in sentInputs ? sentText(sentInputs[name]) : "default";
    return row;
  });
}
