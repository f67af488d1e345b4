// Settings › Organisations: the organisations the caller belongs to (GET /organisations)
// with their role, each opening its members (org-members.tsx, asked for when opened); and creating one
// (POST /organisations {id, display_name}), whose creator becomes its first admin.
"use client";

import * as React from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api";
import { handleProblem } from "@/lib/org-form";
import { createOrganisation, listMyOrganisations } from "@/lib/settings-api";
import type { Membership } from "@/lib/types";
import { OrgMembers } from "./org-members";

function describe(e: unknown): string {
  return e instanceof ApiError ? e.detail || e.title : "The server could not be reached.";
}

function CreateOrganisationForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [id, setId] = React.useState("");
  const [name, setName] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  return (
    <form
      aria-label="Create an organisation"
      noValidate
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onSubmit={async (event) => {
        event.preventDefault();
        const problem = handleProblem(id) ?? (name.trim().length > 100 ? "A display name has at most 100 characters." : null);
        setError(problem);
        if (problem) return;
        setBusy(true);
        try {
          const created = await createOrganisation({ id: id.trim(), display_name: name.trim() || undefined });
          toast(`Organisation ${created.id} created`, { kind: "success" });
          setId("");
          setName("");
          onCreated(created.id);
        } catch (e) {
          setError(describe(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="grid gap-2">
        <Label htmlFor="org-id">Handle</Label>
        <Input
          id="org-id"
          value={id}
          autoComplete="off"
          placeholder="e.g. acme-structures"
          onChange={(e) => setId(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "org-create-error" : "org-id-hint"}
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="org-name">Display name (optional)</Label>
        <Input id="org-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. ACME Structures" />
      </div>
      <Button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create"}
      </Button>
      <p id="org-id-hint" className="text-xs text-muted-foreground sm:col-span-3">
        The handle names its packages (<span className="font-mono">handle/package</span>) and never changes.
      </p>
      {error ? (
        <p id="org-create-error" role="alert" className="text-sm text-destructive sm:col-span-3">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function OrganisationsSection({ me }: { me: string }) {
  const [orgs, setOrgs] = React.useState<Membership[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [opened, setOpened] = React.useState<string[]>([]);

  const load = React.useCallback((signal?: AbortSignal) => {
    listMyOrganisations(signal).then(
      (list) => setOrgs(list.items),
      (e: unknown) => {
        if (signal?.aborted || (e instanceof ApiError && e.status === 401)) return;
        setError(describe(e));
      },
    );
  }, []);

  React.useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <div className="grid gap-6">
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : !orgs ? (
        <>
          <p role="status" className="sr-only">
            Loading your organisations…
          </p>
          <Skeleton aria-hidden className="h-16 w-full" />
        </>
      ) : orgs.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
          You belong to no organisation. Create one to publish packages with colleagues.
        </p>
      ) : (
        <ul className="grid gap-3">
          {orgs.map((org) => (
            <li key={org.organisation}>
              <details
                className="group rounded-md border"
                onToggle={(event) => {
                  const isOpen = event.currentTarget.open;
                  setOpened((was) => (isOpen ? [...was, org.organisation] : was.filter((o) => o !== org.organisation)));
                }}
              >
                <summary className="flex cursor-pointer flex-wrap items-center gap-2 rounded-md px-4 py-3 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                  <span className="font-medium">{org.display_name || org.organisation}</span>
                  <span className="font-mono text-sm text-muted-foreground">{org.organisation}</span>
                  <Badge variant={org.role === "admin" ? "default" : "secondary"}>{org.role === "admin" ? "admin" : "member"}</Badge>
                  <span className="ml-auto text-sm text-muted-foreground">
                    <span className="group-open:hidden">Show members</span>
                    <span className="hidden group-open:inline">Hide members</span>
                  </span>
                </summary>
                <div className="border-t p-4">
                  {opened.includes(org.organisation) ? (
                    <OrgMembers organisation={org.organisation} me={me} isAdmin={org.role === "admin"} onLeft={() => load()} />
                  ) : null}
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      <div className="grid gap-3">
        <h3 className="text-base font-semibold">Create an organisation</h3>
        <CreateOrganisationForm onCreated={() => load()} />
      </div>
    </div>
  );
}
