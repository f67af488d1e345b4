// A page of packages: full name (a link to its page), latest version, visibility,
// archived, owner (and whether an organisation owns it), description and tags.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { Package } from "@/lib/types";

export function packageName(pkg: Package): string {
  return pkg.full_name ?? `${pkg.owner}/${pkg.name}`;
}

export function packageHref(pkg: Package): string {
  return `/packages/view/?id=${encodeURIComponent(packageName(pkg))}`;
}

export function PackageList({ packages }: { packages: Package[] }) {
  return (
    <ul className="grid gap-3">
      {packages.map((pkg) => (
        <li key={pkg.id} className="rounded-lg border p-4">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={packageHref(pkg)} className="font-mono font-medium underline-offset-4 hover:underline">
              {packageName(pkg)}
            </Link>
            <span className="text-sm text-muted-foreground">v{pkg.latest_version}</span>
            <Badge variant="outline">{pkg.visibility}</Badge>
            {pkg.archived ? <Badge variant="secondary">archived</Badge> : null}
          </div>
          <p className="mt-1 text-xs text-muted-foreground">
            by {pkg.owner}
            {pkg.owner_kind === "organisation" ? " (organisation)" : ""}
          </p>
          {pkg.description ? <p className="mt-1 text-sm">{pkg.description}</p> : null}
          {pkg.tags?.length ? <p className="mt-1 text-xs text-muted-foreground">{pkg.tags.join(" · ")}</p> : null}
        </li>
      ))}
    </ul>
  );
}
