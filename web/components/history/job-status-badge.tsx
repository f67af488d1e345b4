// A job's status as a badge: the status in words with a symbol, so it never reads by colour alone.
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const LOOK: Record<string, { symbol: string; className: string }> = {
  pending: { symbol: "○", className: "border-border bg-secondary text-secondary-foreground" },
  running: { symbol: "◔", className: "border-primary/40 bg-primary/10 text-foreground" },
  completed: { symbol: "✓", className: "border-emerald-600/40 bg-emerald-600/10 text-emerald-800 dark:text-emerald-300" },
  failed: { symbol: "✕", className: "border-destructive/50 bg-destructive/10 text-red-800 dark:text-red-300" },
  timeout: { symbol: "⏱", className: "border-amber-600/50 bg-amber-500/10 text-amber-800 dark:text-amber-300" },
  cancelled: { symbol: "–", className: "border-border bg-muted text-muted-foreground" },
};

/** The status's symbol alone (✓ completed, ✕ failed, …), for places too narrow for a badge. */
export function statusSymbol(status: string): string {
  return LOOK[status]?.symbol ?? "?";
}

export function JobStatusBadge({ status, className }: { status: string; className?: string }) {
  const look = LOOK[status] ?? { symbol: "?", className: "" };
  return (
    <Badge variant="outline" className={cn("gap-1", look.className, className)}>
      <span aria-hidden>{look.symbol}</span>
      {status}
    </Badge>
  );
}
