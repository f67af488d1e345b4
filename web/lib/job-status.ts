// Job statuses: which are final, and how each is shown (label and badge tone).
// pending → running → completed | failed | timeout | cancelled (docs/jobs.md).
export const FINAL_STATUSES = ["completed", "failed", "timeout", "cancelled"] as const;

export function isFinalStatus(status: string | undefined): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status ?? "");
}

export type StatusTone = "neutral" | "active" | "success" | "danger" | "warning";

export function statusTone(status: string): StatusTone {
  switch (status) {
    case "completed":
      return "success";
    case "failed":
      return "danger";
    case "timeout":
    case "cancelled":
      return "warning";
    case "running":
      return "active";
    default:
      return "neutral";
  }
}

export function statusLabel(status: string): string {
  if (!status) return "Unknown";
  return status.charAt(0).toUpperCase() + status.slice(1);
}
