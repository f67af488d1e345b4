// /settings/: the theme, API tokens, organisations and their members, and the password of
// a built-in account. A signed-out visitor is sent to sign-in and back here.
"use client";

import * as React from "react";
import { OrganisationsSection } from "@/components/settings/organisations-section";
import { PasswordSection } from "@/components/settings/password-section";
import { ThemeSection } from "@/components/settings/theme-section";
import { TokensSection } from "@/components/settings/tokens-section";
import { useRequiredSession } from "@/components/shell/session-provider";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <Card id={id} aria-labelledby={`${id}-title`} role="region" className="scroll-mt-4">
      <CardHeader>
        <CardTitle id={`${id}-title`}>{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export default function SettingsPage() {
  const session = useRequiredSession();
  const me = session.status === "signed-in" ? session.me : null;
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Section id="appearance" title="Appearance" description="Remembered in this browser.">
        <ThemeSection />
      </Section>
      {session.status === "error" ? (
        <p role="alert" className="text-destructive">
          {session.message}
        </p>
      ) : !me ? (
        <>
          <p role="status" className="sr-only">
            Loading your account…
          </p>
          <Skeleton aria-hidden className="h-48 w-full" />
        </>
      ) : (
        <>
          <Section id="tokens" title="API tokens">
            <TokensSection scopes={me.scopes ?? []} />
          </Section>
          <Section id="organisations" title="Organisations" description="Organisations own packages their members publish together.">
            <OrganisationsSection me={me.id} />
          </Section>
          {me.source === "local" && me.credential !== "api_token" ? (
            <Section id="password" title="Password" description="Your built-in MecaPy account's password.">
              <PasswordSection />
            </Section>
          ) : null}
        </>
      )}
    </div>
  );
}
