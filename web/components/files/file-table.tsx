// The user's files: name, size (binary units), date, type, with a download link (the
// content URL; the session cookie travels with it) and a delete button each.
"use client";

import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fileContentUrl } from "@/lib/files";
import { formatDateTime, humanSize } from "@/lib/format";
import type { StoredFile } from "@/lib/upload";
import { DeleteFileDialog } from "./delete-file-dialog";

export function FileTable({ files, onDeleted }: { files: StoredFile[]; onDeleted: (id: string) => void }) {
  return (
    <Table>
      <caption className="sr-only">Your files</caption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Name</TableHead>
          <TableHead scope="col" className="text-right">
            Size
          </TableHead>
          <TableHead scope="col" className="hidden sm:table-cell">
            Uploaded
          </TableHead>
          <TableHead scope="col" className="hidden md:table-cell">
            Type
          </TableHead>
          <TableHead scope="col">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {files.map((file) => (
          <TableRow key={file.id}>
            <TableCell className="max-w-[10rem] truncate font-medium sm:max-w-xs" title={file.original_filename}>
              {file.filename}
              <span className="block text-xs font-normal text-muted-foreground sm:hidden">{formatDateTime(file.created_at)}</span>
            </TableCell>
            <TableCell className="whitespace-nowrap text-right tabular-nums">{humanSize(file.size)}</TableCell>
            <TableCell className="hidden whitespace-nowrap sm:table-cell">
              <time dateTime={file.created_at}>{formatDateTime(file.created_at)}</time>
            </TableCell>
            <TableCell className="hidden font-mono text-xs md:table-cell">{file.content_type}</TableCell>
            <TableCell className="px-1 text-right sm:px-3">
              <div className="flex flex-col items-end sm:flex-row sm:justify-end">
              <a
                href={fileContentUrl(file.id)}
                download={file.filename}
                className={buttonVariants({ size: "sm", variant: "ghost" })}
                aria-label={`Download ${file.filename}`}
              >
                Download
              </a>
              <DeleteFileDialog file={file} onDeleted={onDeleted} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
