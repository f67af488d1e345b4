// The frame of one leaf control: its label, its help text (the port's description) and
// its inline error, with the ids the control points at through aria-describedby.
import * as React from "react";
import { Label } from "@/components/ui/label";
import type { FieldIds } from "./field-ids";

export interface FieldShellProps {
  ids: FieldIds;
  label: React.ReactNode;
  description?: string;
  error?: string;
  required?: boolean;
  // Hide the label visually (a list row's item); screen readers still read it.
  hideLabel?: boolean;
  children: React.ReactNode;
}

export function FieldShell({ ids, label, description, error, required, hideLabel, children }: FieldShellProps) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={ids.control} className={hideLabel ? "sr-only" : "font-mono"}>
        {label}
        {required && !hideLabel ? (
          <span aria-hidden className="ml-0.5 text-destructive">
            *
          </span>
        ) : null}
        {required && !hideLabel ? <span className="sr-only"> (required)</span> : null}
      </Label>
      {children}
      {description && !hideLabel ? (
        <p id={ids.help} className="text-xs text-muted-foreground">
          {description}
        </p>
      ) : null}
      {error ? (
        <p id={ids.error} className="text-sm font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
