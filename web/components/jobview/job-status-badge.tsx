// JobStatusBadge: a job's status as a coloured badge (readable in light and dark themes),
// with a pulsing dot while the job is pending or running.
import { Badge } from "@/components/ui/badge";
import { statusLabel, statusTone, type StatusTone } from "@/lib/job-status";
import { cn } from "@/lib/utils";

const TONE_CLASSES: Record<StatusTone, string> = {
  neutral: "border-transparent bg-secondary text-secondary-foreground",
  active: "border-transparent bg-primary text-primary-foreground",
  success: "border-transparent bg-emerald-700 text-white dark:bg-emerald-400 dark:text-emerald-950",
  danger: "border-transparent bg-destructive text-destructive-foreground",
  warning: "border-transparent bg-amber-300 text-amber-950 dark:bg-amber-400",
};

export function JobStatusBadge({ status, className }: { status: string; className?: string }) {
  const tone = statusTone(status);
  const live = status === "pending" || status === "running";
  return (
    <Badge className={cn("gap-1.5 text-sm", TONE_CLASSES[tone], className)}>
      {live ? <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-current" /> : null}
      {statusLabel(status)}
    </Badge>
  );
}
