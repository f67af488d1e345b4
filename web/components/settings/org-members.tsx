// One organisation's members (GET /organisations/{id}/members) with their roles. Its
// admins also add a member or change a role (PUT …/members/{user} {role}) and remove one
// (DELETE, after a confirmation); anyone may leave. The last admin cannot go (the server
// answers 409, shown as it says).
"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api";
import { handleProblem } from "@/lib/org-form";
import { listMembers, putMember, removeMember, type OrgRole } from "@/lib/settings-api";
import type { Membership } from "@/lib/types";
import { ConfirmDialog } from "./confirm-dialog";

function describe(e: unknown): string {
  return e instanceof ApiError ? e.detail || e.title : "The server could not be reached.";
}

export interface OrgMembersProps {
  organisation: string;
  me: string;
  isAdmin: boolean;
  onLeft: () => void;
}

export function OrgMembers({ organisation, me, isAdmin, onLeft }: OrgMembersProps) {
  const [members, setMembers] = React.useState<Membership[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [user, setUser] = React.useState("");
  const [role, setRole] = React.useState<OrgRole>("user");
  const [formError, setFormError] = React.useState<string | null>(null);
  const [adding, setAdding] = React.useState(false);
  const [removing, setRemoving] = React.useState<Membership | null>(null);

  const load = React.useCallback(
    (signal?: AbortSignal) =>
      listMembers(organisation, signal).then(
        (list) => setMembers(list.items),
        (e: unknown) => {
          if (signal?.aborted || (e instanceof ApiError && e.status === 401)) return;
          setError(describe(e));
        },
      ),
    [organisation],
  );

  React.useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const changeRole = async (member: Membership, next: OrgRole) => {
    try {
      await putMember(organisation, member.user, next);
      toast(`${member.user} is now ${next === "admin" ? "an admin" : "a member"} of ${organisation}`, { kind: "success" });
      await load();
    } catch (e) {
      toast("The role was not changed", { kind: "error", description: describe(e) });
    }
  };

  const ids = `org-${organisation}`;
  return (
    <div className="grid gap-4">
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : !members ? (
        <>
          <p role="status" className="sr-only">
            Loading the members…
          </p>
          <Skeleton aria-hidden className="h-16 w-full" />
        </>
      ) : (
        <Table>
          <caption className="sr-only">Members of {organisation}</caption>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Member</TableHead>
              <TableHead scope="col">Role</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((member) => (
              <TableRow key={member.user}>
                <TableCell>
                  <span className="font-mono">@{member.user}</span>
                  {member.display_name ? <span className="block text-xs text-muted-foreground">{member.display_name}</span> : null}
                </TableCell>
                <TableCell>
                  {isAdmin ? (
                    <NativeSelect
                      aria-label={`Role of ${member.user}`}
                      value={member.role}
                      className="h-9 w-32"
                      onChange={(e) => void changeRole(member, e.target.value as OrgRole)}
                    >
                      <option value="user">member</option>
                      <option value="admin">admin</option>
                    </NativeSelect>
                  ) : (
                    member.role === "admin" ? "admin" : "member"
                  )}
                </TableCell>
                <TableCell className="text-right">
                  {isAdmin || member.user === me ? (
                    <Button variant="outline" size="sm" onClick={() => setRemoving(member)}>
                      {member.user === me ? "Leave" : "Remove"}
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      {isAdmin ? (
        <form
          className="grid gap-3 sm:grid-cols-[1fr_9rem_auto] sm:items-end"
          aria-label={`Add a member to ${organisation}`}
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            const problem = handleProblem(user);
            setFormError(problem);
            if (problem) return;
            setAdding(true);
            try {
              await putMember(organisation, user.trim(), role);
              toast(`${user.trim()} added to ${organisation}`, { kind: "success" });
              setUser("");
              await load();
            } catch (e) {
              setFormError(describe(e));
            } finally {
              setAdding(false);
            }
          }}
        >
          <div className="grid gap-2">
            <Label htmlFor={`${ids}-user`}>Add a member (their handle)</Label>
            <Input
              id={`${ids}-user`}
              value={user}
              autoComplete="off"
              onChange={(e) => setUser(e.target.value)}
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? `${ids}-error` : undefined}
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${ids}-role`}>Role</Label>
            <NativeSelect id={`${ids}-role`} value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
              <option value="user">member</option>
              <option value="admin">admin</option>
            </NativeSelect>
          </div>
          <Button type="submit" disabled={adding}>
            {adding ? "Adding…" : "Add"}
          </Button>
          {formError ? (
            <p id={`${ids}-error`} role="alert" className="text-sm text-destructive sm:col-span-3">
              {formError}
            </p>
          ) : null}
        </form>
      ) : null}

      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={removing?.user === me ? `Leave ${organisation}?` : `Remove ${removing?.user ?? ""} from ${organisation}?`}
        description={
          removing?.user === me
            ? "You lose access to the organisation's private packages until an admin adds you again."
            : "They lose access to the organisation's private packages."
        }
        confirmLabel={removing?.user === me ? "Leave" : "Remove"}
        onConfirm={async () => {
          if (!removing) return;
          await removeMember(organisation, removing.user);
          if (removing.user === me) {
            toast(`You left ${organisation}`, { kind: "success" });
            onLeft();
          } else {
            toast(`${removing.user} removed from ${organisation}`, { kind: "success" });
            await load();
          }
        }}
      />
    </div>
  );
}
