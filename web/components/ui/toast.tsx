// Toasts: a sonner-like toast() call anywhere, shown by one <Toaster/> in the layout, on
// Radix's Toast (announced to screen readers, swipe or Escape dismisses).
"use client";

import * as ToastPrimitive from "@radix-ui/react-toast";
import * as React from "react";
import { cn } from "@/lib/utils";

export type ToastKind = "default" | "error" | "success";

interface ToastItem {
  id: number;
  title: string;
  description?: string;
  kind: ToastKind;
}

type Listener = (items: ToastItem[]) => void;

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function publish(): void {
  for (const listener of listeners) listener(items);
}

export function toast(title: string, options: { description?: string; kind?: ToastKind } = {}): void {
  items = [...items, { id: nextId++, title, description: options.description, kind: options.kind ?? "default" }];
  publish();
}

function dismiss(id: number): void {
  items = items.filter((item) => item.id !== id);
  publish();
}

export function Toaster() {
  const [shown, setShown] = React.useState<ToastItem[]>(items);
  React.useEffect(() => {
    listeners.add(setShown);
    return () => {
      listeners.delete(setShown);
    };
  }, []);
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={5000}>
      {shown.map((item) => (
        <ToastPrimitive.Root
          key={item.id}
          onOpenChange={(open) => {
            if (!open) dismiss(item.id);
          }}
          className={cn(
            "relative grid gap-1 rounded-md border bg-background p-4 pr-8 shadow-lg",
            item.kind === "error" && "border-destructive",
            item.kind === "success" && "border-primary",
          )}
        >
          <ToastPrimitive.Title className="text-sm font-semibold">{item.title}</ToastPrimitive.Title>
          {item.description ? (
            <ToastPrimitive.Description className="text-sm text-muted-foreground">{item.description}</ToastPrimitive.Description>
          ) : null}
          <ToastPrimitive.Close className="absolute right-2 top-2 rounded-sm px-1 opacity-70 hover:opacity-100" aria-label="Dismiss">
            ×
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed bottom-0 right-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </ToastPrimitive.Provider>
  );
}
