// Maps the JSON pointers of a 422 invalid-inputs answer ("/flange/t", "/loads/2") to the
// paths of the form's controls ("flange.t.value", "loads.2.v.value", "mode": a quantity's
// at its number, as the zod schema reports them), so each problem shows under its field.
import type { Field, FormModel, FormValues } from "./types";

function segments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

// The control's path of a pointer, or undefined when no field of the model matches (the
// problem is then the form's own). A pointer deeper than a leaf (/d/value) stops at it.
export function pointerToPath(model: FormModel, pointer: string, values?: FormValues): string | undefined {
  const segs = segments(pointer);
  const first = segs.shift();
  let field: Field | undefined = model.fields.find((f) => f.name === first);
  if (!field || first === undefined) return undefined;
  const path: (string | number)[] = [first];
  let value: unknown = values?.[first];
  for (const seg of segs) {
    if (field.kind === "struct") {
      const sub: Field | undefined = field.fields.find((f) => f.name === seg);
      if (!sub) break;
      path.push(seg);
      field = sub;
      value = (value as Record<string, unknown> | undefined)?.[seg];
    } else if (field.kind === "list") {
      if (!/^\d+$/.test(seg)) break;
      path.push(Number(seg), "v");
      value = (value as { v: unknown }[] | undefined)?.[Number(seg)]?.v;
      field = field.item;
    } else if (field.kind === "dict") {
      const rows = (value as { key: string; v: unknown }[] | undefined) ?? [];
      const index = rows.findIndex((r) => r.key === seg);
      if (index < 0) break;
      path.push(index, "v");
      value = rows[index]?.v;
      field = field.item;
    } else break;
  }
  if (field.kind === "quantity") path.push("value");
  return path.join(".");
}

