// CopyAsButtons: "Copy as API call (curl)", "Copy as Python SDK call", "Copy as CLI
// command" — the strings of lib/copy-as.ts, each copied with a toast.
"use client";

import { CopyButton } from "@/components/results/copy-button";
import { cliCommand, curlCommand, pythonCall, type CopySource } from "@/lib/copy-as";

export function CopyAsButtons({ source }: { source: CopySource }) {
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Copy this calculation">
      <CopyButton text={curlCommand(source)} what="API call (curl)">
        Copy as API call (curl)
      </CopyButton>
      <CopyButton text={pythonCall(source)} what="Python SDK call">
        Copy as Python SDK call
      </CopyButton>
      <CopyButton text={cliCommand(source)} what="CLI command">
        Copy as CLI command
      </CopyButton>
    </div>
  );
}
