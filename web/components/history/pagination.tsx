// Previous / next links between the pages of a list, with "Page 2 of 7". hrefFor gives
// the link of a page; there is no link before the first page or after the last.
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export interface PaginationProps {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
}

export function Pagination({ page, pages, hrefFor }: PaginationProps) {
  if (pages <= 1) return null;
  const link = (target: number, label: string, rel: "prev" | "next") =>
    target >= 1 && target <= pages ? (
      <Link href={hrefFor(target)} rel={rel} className={buttonVariants({ variant: "outline", size: "sm" })}>
        {label}
      </Link>
    ) : (
      <span aria-disabled="true" className={cn(buttonVariants({ variant: "outline", size: "sm" }), "pointer-events-none opacity-50")}>
        {label}
      </span>
    );
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2">
      {link(page - 1, "Previous", "prev")}
      <span className="text-sm text-muted-foreground" aria-current="page">
        Page {page} of {pages}
      </span>
      {link(page + 1, "Next", "next")}
    </nav>
  );
}
