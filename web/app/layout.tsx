// The root layout of every page: the theme applied before paint, the header with the
// navigation and the theme picker, and the toaster.
import type { Metadata } from "next";
import Link from "next/link";
import { ThemeMenu } from "@/components/theme-menu";
import { Toaster } from "@/components/ui/toast";
import { THEME_SCRIPT } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: "MecaPy",
  description: "Engineering calculations as sandboxed jobs",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2">
          Skip to content
        </a>
        <header className="border-b">
          <nav aria-label="Main" className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-4">
            <Link href="/" className="font-semibold">
              MecaPy
            </Link>
            <Link href="/packages/" className="text-sm text-muted-foreground hover:text-foreground">
              Packages
            </Link>
            <div className="ml-auto">
              <ThemeMenu />
            </div>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
        <Toaster />
      </body>
    </html>
  );
}
