// "Upload package": an archive (.zip, .tar.gz...) deployed with upload progress, then the
// deploy report or why it was refused. Without packageId it creates a package (or a new
// version of one the chosen owner has) owned by the caller or one of their organisations
// (the owner select); with packageId it deploys a new version of that package.
// onDeployed is called with each successful report.
"use client";

import * as React from "react";
import { DropZone } from "@/components/files/drop-zone";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { humanSize } from "@/lib/format";
import { type DeployReport, deployArchive } from "@/lib/packages";
import { UploadError } from "@/lib/upload";
import { DeployFailure } from "./deploy-failure";
import { DeployReportView } from "./deploy-report";

export const ARCHIVE_ACCEPT = ".zip,.tar,.tar.gz,.tgz,.tar.bz2,.tar.xz,application/zip,application/gzip";

type Phase =
  | { kind: "idle" }
  | { kind: "sending"; name: string; size: number; loaded: number }
  | { kind: "done"; report: DeployReport }
  | { kind: "failed"; error: unknown };

export function PackageUploader({
  owners,
  packageId,
  onDeployed,
}: {
  owners?: { value: string; label: string }[];
  packageId?: string;
  onDeployed?: (report: DeployReport) => void;
}) {
  const [owner, setOwner] = React.useState(owners?.[0]?.value ?? "");
  const [phase, setPhase] = React.useState<Phase>({ kind: "idle" });
  const controller = React.useRef<AbortController | null>(null);
  const ownerId = React.useId();

  React.useEffect(() => () => controller.current?.abort(), []);
  React.useEffect(() => {
    if (!owner && owners?.[0]) setOwner(owners[0].value);
  }, [owner, owners]);

  function send(files: File[]) {
    const archive = files[0];
    if (!archive) return;
    const c = new AbortController();
    controller.current = c;
    setPhase({ kind: "sending", name: archive.name, size: archive.size, loaded: 0 });
    // The first owner is the caller: no ?owner= for them.
    const target = packageId ? { packageId } : { owner: owner && owner !== owners?.[0]?.value ? owner : undefined };
    deployArchive(archive, target, {
      signal: c.signal,
      onProgress: ({ loaded }) => setPhase((p) => (p.kind === "sending" ? { ...p, loaded } : p)),
    }).then(
      (report) => {
        setPhase({ kind: "done", report });
        onDeployed?.(report);
      },
      (error: unknown) => {
        if (error instanceof UploadError && error.kind === "aborted") setPhase({ kind: "idle" });
        else if (!(error instanceof UploadError && error.status === 401)) setPhase({ kind: "failed", error });
      },
    );
  }

  const sending = phase.kind === "sending";
  const percent = sending && phase.size > 0 ? Math.min(100, Math.floor((phase.loaded / phase.size) * 100)) : 0;
  return (
    <div className="grid gap-4">
      {owners && owners.length > 1 && !packageId ? (
        <div className="grid max-w-xs gap-2">
          <Label htmlFor={ownerId}>Publish as</Label>
          <select
            id={ownerId}
            value={owner}
            disabled={sending}
            onChange={(e) => setOwner(e.target.value)}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            {owners.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <DropZone
        onFiles={send}
        multiple={false}
        accept={ARCHIVE_ACCEPT}
        disabled={sending}
        label="Choose an archive"
        hint="A .zip or .tar.gz with mecapy.yml at its top (at most 50 MiB)."
      />
      {sending ? (
        <div className="grid gap-2 rounded-md border p-3" aria-live="polite">
          <div className="flex flex-wrap items-center gap-3">
            <span className="min-w-0 flex-1 truncate font-medium">{phase.name}</span>
            <span className="text-xs text-muted-foreground">
              {percent < 100
                ? `${humanSize(Math.min(phase.loaded, phase.size))} of ${humanSize(phase.size)} · ${percent}%`
                : "Sent; checking, introspecting and testing in the sandbox…"}
            </span>
            <Button size="sm" variant="ghost" onClick={() => controller.current?.abort()}>
              Cancel
            </Button>
          </div>
          <Progress value={percent < 100 ? percent : null} aria-label={`Upload of ${phase.name}`} />
        </div>
      ) : null}
      {phase.kind === "done" ? <DeployReportView report={phase.report} /> : null}
      {phase.kind === "failed" ? <DeployFailure error={phase.error} /> : null}
    </div>
  );
}
