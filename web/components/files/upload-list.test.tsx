import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DropZone } from "./drop-zone";
import { percentOf, UploadList } from "./upload-list";
import type { UploadEntry } from "./use-uploads";

afterEach(cleanup);

describe("percentOf", () => {
  it("is the share sent, 100 once stored, 0 for an empty file still going", () => {
    expect(percentOf({ loaded: 512, size: 2048, state: "uploading" })).toBe(25);
    expect(percentOf({ loaded: 5000, size: 2048, state: "uploading" })).toBe(100);
    expect(percentOf({ loaded: 0, size: 0, state: "uploading" })).toBe(0);
    expect(percentOf({ loaded: 0, size: 0, state: "done" })).toBe(100);
  });
});

describe("UploadList", () => {
  const entries: UploadEntry[] = [
    { key: "a", name: "beam.csv", size: 2048, loaded: 512, state: "uploading" },
    { key: "b", name: "mesh.step", size: 4096, loaded: 0, state: "failed", error: "mesh.step is larger than the server accepts." },
  ];

  it("shows a progress bar and a cancel button for a running upload, the error of a failed one", () => {
    const onCancel = vi.fn();
    render(<UploadList entries={entries} onCancel={onCancel} onClear={() => undefined} />);
    const bar = screen.getByRole("progressbar", { name: "Upload of beam.csv" });
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect(screen.getByText("512 B of 2 KiB · 25%")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel the upload of beam.csv" }));
    expect(onCancel).toHaveBeenCalledWith("a");
    expect(screen.getByRole("alert").textContent).toBe("mesh.step is larger than the server accepts.");
    expect(screen.queryByRole("button", { name: "Cancel the upload of mesh.step" })).toBeNull();
  });
});

describe("DropZone", () => {
  it("gives the dropped files, only the first when it takes one", () => {
    const onFiles = vi.fn();
    const a = new File(["a"], "a.csv");
    const b = new File(["b"], "b.csv");
    const { rerender } = render(<DropZone onFiles={onFiles} label="Choose files" />);
    const zone = screen.getByText(/Drop files here/).parentElement!;
    fireEvent.drop(zone, { dataTransfer: { files: [a, b] } });
    expect(onFiles).toHaveBeenLastCalledWith([a, b]);
    rerender(<DropZone onFiles={onFiles} multiple={false} label="Choose an archive" />);
    fireEvent.drop(screen.getByText(/Drop a file here/).parentElement!, { dataTransfer: { files: [a, b] } });
    expect(onFiles).toHaveBeenLastCalledWith([a]);
  });

  it("gives the picked files from the labelled input", () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} label="Choose files" />);
    const input = screen.getByLabelText("Choose files") as HTMLInputElement;
    const a = new File(["a"], "a.csv");
    fireEvent.change(input, { target: { files: [a] } });
    expect(onFiles).toHaveBeenCalledWith([a]);
  });
});
