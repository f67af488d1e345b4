// OutputFiles: the files a job wrote, each with its size, SHA-256 and a download link
// (the API serves them at the `url` the job answer gives; the session cookie travels).
import { formatExact } from "@/lib/exact-number";
import { outputFileUrl, type OutputFile } from "@/lib/jobs";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${formatExact(bytes)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(1)} ${units[i]}`;
}

export function OutputFiles({ files, links = true }: { files: OutputFile[] | undefined; links?: boolean }) {
  if (!files?.length) return <p className="text-sm text-muted-foreground">This job wrote no files.</p>;
  return (
    <ul className="grid gap-2">
      {files.map((file) => (
        <li key={file.name} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-md border p-3 break-inside-avoid">
          {links ? (
            <a
              href={outputFileUrl(file)}
              download={file.name}
              className="font-mono font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring rounded-sm"
            >
              {file.name}
            </a>
          ) : (
            <span className="font-mono font-medium">{file.name}</span>
          )}
          <span className="text-sm text-muted-foreground" title={`${file.size} bytes`}>
            {formatSize(file.size)}
          </span>
          {file.sha256 ? (
            <span className="font-mono text-xs text-muted-foreground break-all">sha256 {file.sha256}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
