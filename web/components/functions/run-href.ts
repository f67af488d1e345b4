// The calculation form of a function: /run/?package=OWNER%2FNAME&function=FN[&version=V].
export function runHref(packageId: string, name: string, version?: string): string {
  const params = new URLSearchParams({ package: packageId, function: name });
  if (version) params.set("version", version);
  return `/run/?${params.toString()}`;
}
