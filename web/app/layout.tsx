// The root layout of every page: the theme applied before the first paint (an inline
// script reading the stored choice or prefers-color-scheme, so a dark page never flashes
// light), the app shell (header, navigation, account; components/shell/) and the toaster.
import type { Metadata, Viewport } from "next";
import { AppShell } from "@/components/shell/app-shell";
import { Toaster } from "@/components/ui/toast";
import { THEME_SCRIPT } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: "MecaPy",
  description: "Engineering calculations as sandboxed jobs",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans antialiased">
        <AppShell>{children}</AppShell>
        <Toaster />
      </body>
    </html>
  );
}
