// The history's filter form: function name, status, and a range of days. Applying it
// (or clearing it) calls onApply with the new filters, back at page 1; the page puts
// them in the URL. The fields follow the filters they are given (Back restores them).
"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { HistoryFilters } from "@/lib/history-query";
import { isJobStatus, JOB_STATUSES } from "@/lib/jobs-history";

export interface HistoryFiltersFormProps {
  filters: HistoryFilters;
  onApply: (filters: HistoryFilters) => void;
}

export function HistoryFiltersForm({ filters, onApply }: HistoryFiltersFormProps) {
  const [fn, setFn] = React.useState(filters.function ?? "");
  const [status, setStatus] = React.useState<string>(filters.status ?? "");
  const [from, setFrom] = React.useState(filters.from ?? "");
  const [to, setTo] = React.useState(filters.to ?? "");

  React.useEffect(() => {
    setFn(filters.function ?? "");
    setStatus(filters.status ?? "");
    setFrom(filters.from ?? "");
    setTo(filters.to ?? "");
  }, [filters.function, filters.status, filters.from, filters.to]);

  const rangeBackwards = from !== "" && to !== "" && to < from;

  return (
    <form
      role="search"
      aria-label="Filter jobs"
      className="grid grid-cols-2 gap-3 sm:grid-cols-[1fr_10rem_10rem_10rem_auto] sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        if (rangeBackwards) return;
        onApply({
          page: 1,
          package: filters.package,
          function: fn.trim() || undefined,
          status: isJobStatus(status) ? status : undefined,
          from: from || undefined,
          to: to || undefined,
        });
      }}
    >
      <div className="col-span-2 grid gap-2 sm:col-span-1">
        <Label htmlFor="filter-function">Function</Label>
        <Input id="filter-function" value={fn} onChange={(e) => setFn(e.target.value)} placeholder="e.g. max_preload" />
      </div>
      <div className="col-span-2 grid gap-2 sm:col-span-1">
        <Label htmlFor="filter-status">Status</Label>
        <NativeSelect id="filter-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="filter-from">From</Label>
        <Input id="filter-from" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="filter-to">To</Label>
        <Input
          id="filter-to"
          type="date"
          value={to}
          min={from || undefined}
          onChange={(e) => setTo(e.target.value)}
          aria-invalid={rangeBackwards || undefined}
          aria-describedby={rangeBackwards ? "filter-range-error" : undefined}
        />
      </div>
      <div className="col-span-2 flex gap-2 sm:col-span-1">
        <Button type="submit">Apply</Button>
        <Button
          type="button"
          variant="ghost"
          onClick={() => onApply({ page: 1 })}
        >
          Clear
        </Button>
      </div>
      {rangeBackwards ? (
        <p id="filter-range-error" role="alert" className="col-span-2 text-sm text-destructive sm:col-span-5">
          The end of the range comes before its start.
        </p>
      ) : null}
    </form>
  );
}
