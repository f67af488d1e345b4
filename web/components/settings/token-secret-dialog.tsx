// The new token's secret, shown this once: a read-only field, a copy button (the
// clipboard, else the field selected for Ctrl+C) and a warning that it cannot be shown
// again. Closing the dialog forgets the secret.
"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { CreatedToken } from "@/lib/settings-api";

export function TokenSecretDialog({ token, onClose }: { token: CreatedToken | null; onClose: () => void }) {
  const [copied, setCopied] = React.useState<"yes" | "select" | null>(null);
  React.useEffect(() => setCopied(null), [token]);

  const copy = async () => {
    if (!token) return;
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("yes");
    } catch {
      (document.getElementById("token-secret") as HTMLInputElement | null)?.select();
      setCopied("select");
    }
  };

  return (
    <Dialog open={token !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Token “{token?.name}” created</DialogTitle>
          <DialogDescription>
            Send it as <code className="font-mono">Authorization: Bearer …</code> from the CLI, the SDK or a script.
          </DialogDescription>
        </DialogHeader>
        <p role="alert" className="rounded-md border border-amber-500/60 bg-amber-500/10 p-3 text-sm">
          <strong>Copy it now:</strong> this is the only time it is shown. MecaPy keeps only a fingerprint of it; if you
          lose it, revoke it and create another.
        </p>
        <div className="grid gap-2">
          <Label htmlFor="token-secret">Your new token</Label>
          <div className="flex gap-2">
            <Input
              id="token-secret"
              readOnly
              value={token?.token ?? ""}
              className="font-mono"
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button type="button" onClick={() => void copy()}>
              Copy
            </Button>
          </div>
          <p aria-live="polite" className="text-sm text-muted-foreground">
            {copied === "yes" ? "Copied to the clipboard." : copied === "select" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
          </p>
        </div>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            I have copied it
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
