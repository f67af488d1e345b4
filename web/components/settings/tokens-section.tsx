// Settings › API tokens: the caller's tokens (GET /auth/tokens, revoked and expired ones
// included) with their scopes, creation, last use and expiry; "New token" opens the form
// in a dialog and the secret is then shown once; "Revoke" asks first.
"use client";

import * as React from "react";
import { localTime } from "@/components/history/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api";
import { createToken, listTokens, revokeToken, TOKEN_SCOPES, type ApiToken, type CreatedToken, type TokenScope } from "@/lib/settings-api";
import { ConfirmDialog } from "./confirm-dialog";
import { TokenCreateForm } from "./token-create-form";
import { TokenSecretDialog } from "./token-secret-dialog";

function tokenState(token: ApiToken, now: number): "revoked" | "expired" | "active" {
  if (token.revoked_at) return "revoked";
  if (token.expires_at && new Date(token.expires_at).getTime() <= now) return "expired";
  return "active";
}

export function TokensSection({ scopes }: { scopes: string[] }) {
  const allowed = React.useMemo(() => TOKEN_SCOPES.filter((s) => scopes.includes(s)) as TokenScope[], [scopes]);
  const [tokens, setTokens] = React.useState<ApiToken[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [creating, setCreating] = React.useState(false);
  const [secret, setSecret] = React.useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = React.useState<ApiToken | null>(null);

  const load = React.useCallback((signal?: AbortSignal) => {
    listTokens(signal).then(
      (list) => setTokens(list.items),
      (e: unknown) => {
        if (signal?.aborted || (e instanceof ApiError && e.status === 401)) return;
        setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached.");
      },
    );
  }, []);

  React.useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const now = Date.now();
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">Tokens let the CLI, the SDK and scripts act as you, with the scopes you give them.</p>
        <Button onClick={() => setCreating(true)} disabled={allowed.length === 0}>
          New token
        </Button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : !tokens ? (
        <>
          <p role="status" className="sr-only">
            Loading your tokens…
          </p>
          <Skeleton aria-hidden className="h-24 w-full" />
        </>
      ) : tokens.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">You have no API token yet.</p>
      ) : (
        <Table>
          <caption className="sr-only">Your API tokens</caption>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Scopes</TableHead>
              <TableHead scope="col">Created</TableHead>
              <TableHead scope="col">Last used</TableHead>
              <TableHead scope="col">Expires</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((token) => {
              const state = tokenState(token, now);
              return (
                <TableRow key={token.id} className={state !== "active" ? "text-muted-foreground" : undefined}>
                  <TableCell className="min-w-32">
                    <span className="font-medium">{token.name}</span>
                    <span className="block font-mono text-xs text-muted-foreground">{token.prefix}…</span>
                    {state !== "active" ? (
                      <Badge variant="outline" className="mt-1">
                        {state}
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      {token.scopes.map((scope) => (
                        <Badge key={scope} variant="secondary" className="font-mono">
                          {scope}
                        </Badge>
                      ))}
                    </span>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{localTime(token.created_at)}</TableCell>
                  <TableCell className="whitespace-nowrap">{token.last_used_at ? localTime(token.last_used_at) : "never"}</TableCell>
                  <TableCell className="whitespace-nowrap">{token.expires_at ? localTime(token.expires_at) : "never"}</TableCell>
                  <TableCell className="text-right">
                    {state === "revoked" ? null : (
                      <Button variant="outline" size="sm" onClick={() => setRevoking(token)} aria-label={`Revoke the token ${token.name}`}>
                        Revoke
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}

      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="max-h-[90vh] overflow-y-auto">
          <DialogHeader>
            <DialogTitle>New API token</DialogTitle>
            <DialogDescription>A token never holds a scope you do not hold yourself.</DialogDescription>
          </DialogHeader>
          <TokenCreateForm
            allowedScopes={allowed}
            create={createToken}
            onCancel={() => setCreating(false)}
            onCreated={(token) => {
              setCreating(false);
              setSecret(token);
              load();
            }}
          />
        </DialogContent>
      </Dialog>
      <TokenSecretDialog token={secret} onClose={() => setSecret(null)} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        description="Whatever uses this token is refused from now on. This cannot be undone."
        confirmLabel="Revoke"
        onConfirm={async () => {
          if (!revoking) return;
          await revokeToken(revoking.id);
          toast(`Token “${revoking.name}” revoked`, { kind: "success" });
          load();
        }}
      />
    </div>
  );
}
