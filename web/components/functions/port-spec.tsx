// One port's type, unit and bounds as a line of muted text, for a form field's hint:
// "Force in N, 0 ≤ FA ≤ 10000000 N".
import type { Port } from "@/lib/packages";
import { cn } from "@/lib/utils";
import { portSpecText } from "./io-spec-text";

export function PortSpec({ port, className, id }: { port: Port; className?: string; id?: string }) {
  return (
    <span id={id} className={cn("text-xs text-muted-foreground", className)}>
      {portSpecText(port)}
    </span>
  );
}
