// The history page's filters and their two representations: the page's URL query
// (so a filtered view can be bookmarked, shared and restored with Back) and GET /jobs's
// query.
//
// Contract:
//  - parseHistoryQuery never throws: an unknown status, a malformed date or page is
//    dropped (the default applies), blank text is dropped, text is trimmed.
//  - historySearch(parseHistoryQuery(q)) keeps exactly the meaningful parameters, in a
//    fixed order, leaving out defaults (page 1) and empty filters; "" means no query.
//  - Dates are the user's calendar days: `from` starts at local midnight of that day and
//    `to` includes the whole day (created_before is local midnight of the next day), both
//    sent as RFC 3339 UTC instants, which the API compares with the jobs' created_at.
import { isJobStatus, type JobListQuery, type JobStatus } from "./jobs-history";

export interface HistoryFilters {
  function?: string;
  package?: string;
  status?: JobStatus;
  /** YYYY-MM-DD, inclusive */
  from?: string;
  /** YYYY-MM-DD, inclusive */
  to?: string;
  page: number;
}

export const HISTORY_PER_PAGE = 20;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local midnight that starts a YYYY-MM-DD day, or undefined for a date that does not exist. */
export function localMidnight(day: string, addDays = 0): Date | undefined {
  const match = DATE.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(year, month - 1, date);
  if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== date) return undefined;
  if (addDays) at.setDate(at.getDate() + addDays);
  return at;
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function day(value: string | null): string | undefined {
  const trimmed = value?.trim() ?? "";
  return localMidnight(trimmed) ? trimmed : undefined;
}

export function parseHistoryQuery(params: URLSearchParams): HistoryFilters {
  const filters: HistoryFilters = { page: 1 };
  const fn = text(params.get("function"));
  if (fn) filters.function = fn;
  const pkg = text(params.get("package"));
  if (pkg) filters.package = pkg;
  const status = params.get("status");
  if (isJobStatus(status)) filters.status = status;
  const from = day(params.get("from"));
  if (from) filters.from = from;
  const to = day(params.get("to"));
  if (to) filters.to = to;
  const page = Number(params.get("page"));
  if (Number.isInteger(page) && page > 1) filters.page = page;
  return filters;
}

/** The page's query string for these filters, with a leading "?" (or "" when nothing is set). */
export function historySearch(filters: HistoryFilters): string {
  const params = new URLSearchParams();
  if (filters.function) params.set("function", filters.function);
  if (filters.package) params.set("package", filters.package);
  if (filters.status) params.set("status", filters.status);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** GET /jobs's query for these filters. */
export function historyApiQuery(filters: HistoryFilters, perPage = HISTORY_PER_PAGE): JobListQuery {
  const query: JobListQuery = { page: filters.page, per_page: perPage };
  if (filters.function) query.function = filters.function;
  if (filters.package) query.package = filters.package;
  if (filters.status) query.status = filters.status;
  const after = filters.from ? localMidnight(filters.from) : undefined;
  if (after) query.created_after = after.toISOString();
  const before = filters.to ? localMidnight(filters.to, 1) : undefined;
  if (before) query.created_before = before.toISOString();
  return query;
}

/** Whether any filter narrows the list (the page number aside). */
export function hasFilters(filters: HistoryFilters): boolean {
  return Boolean(filters.function || filters.package || filters.status || filters.from || filters.to);
}
