// CopyButton: copies a text to the clipboard and says so with a toast (or says why not).
"use client";

import * as React from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";

export async function copyText(text: string, what: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied`, { kind: "success" });
    return true;
  } catch {
    toast(`Could not copy ${what.toLowerCase()}`, {
      kind: "error",
      description: "The browser refused access to the clipboard.",
    });
    return false;
  }
}

export function CopyButton({
  text,
  what,
  children,
  ...props
}: { text: string; what: string } & Omit<ButtonProps, "onClick">) {
  return (
    <Button type="button" variant="outline" size="sm" onClick={() => void copyText(text, what)} {...props}>
      {children ?? "Copy"}
    </Button>
  );
}
