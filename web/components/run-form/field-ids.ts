// The DOM ids of a field's control, help text and error, derived from its form path
// ("flange.t" → "in-flange-t", "in-flange-t-help", "in-flange-t-error").
export interface FieldIds {
  control: string;
  help: string;
  error: string;
}

export function fieldIds(path: string): FieldIds {
  const base = `in-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return { control: base, help: `${base}-help`, error: `${base}-error` };
}

// aria-describedby for a control: its help text when there is one, its error when shown.
export function describedBy(ids: FieldIds, hasHelp: boolean, hasError: boolean): string | undefined {
  const parts = [hasHelp ? ids.help : "", hasError ? ids.error : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}
