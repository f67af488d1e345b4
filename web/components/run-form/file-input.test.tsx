// A File input of the generated form: the caller's files of an accepted type to choose
// from, an upload on the spot with its progress, and the chosen file's id in `files`.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { StoredFile } from "@/lib/upload";
import { buildFormModel, type ExecuteBody } from "@/lib/schema-form";
import { RunForm, type SubmitOutcome } from "./run-form";

const file = (id: string, filename: string): StoredFile => ({
  id,
  filename,
  original_filename: filename,
  size: 10,
  sha256: "0",
  content_type: "application/octet-stream",
  created_at: "2026-01-01T00:00:00Z",
});
const FILES = [file("f-csv", "loads.csv"), file("f-step", "bracket.STEP")];

vi.mock("@/lib/files", () => ({
  listFiles: vi.fn(async () => ({ items: FILES, page: 1, per_page: 100, total: FILES.length })),
}));

let finishUpload: (() => void) | undefined;
vi.mock("@/lib/upload", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/upload")>()),
  uploadFile: vi.fn(
    (f: File, options: { onProgress?: (p: { loaded: number; total: number }) => void }) =>
      new Promise<StoredFile>((resolve) => {
        options.onProgress?.({ loaded: 5, total: 10 });
        finishUpload = () => resolve(file("f-new", f.name));
      }),
  ),
}));

beforeAll(() => {
  // What Radix's select needs of a DOM that jsdom lacks.
  Element.prototype.scrollIntoView ??= () => {};
  Element.prototype.hasPointerCapture ??= () => false;
  Element.prototype.releasePointerCapture ??= () => {};
});

afterEach(cleanup);

type Submit = (body: ExecuteBody) => Promise<SubmitOutcome>;

const model = buildFormModel({
  type: "object",
  properties: { mesh: { type: "string", "x-file": true, "x-file-extensions": ["step", "stp"], description: "The part" } },
  required: ["mesh"],
});

describe("FileInput", () => {
  it("offers only the caller's files of an accepted type, and sends the one chosen", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => undefined);
    render(<RunForm model={model} onSubmit={onSubmit} />);
    const trigger = await screen.findByRole("combobox", { name: /mesh/ });
    await waitFor(() => expect(trigger.hasAttribute("disabled")).toBe(false));
    expect(screen.getByText("The part · Accepted: .step, .stp")).toBeTruthy();
    await user.click(trigger);
    const listbox = await screen.findByRole("listbox");
    expect(within(listbox).getAllByRole("option").map((o) => o.textContent)).toEqual(["bracket.STEP"]);
    await user.click(within(listbox).getByRole("option", { name: "bracket.STEP" }));
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ inputs: {}, files: { mesh: "f-step" } }));
  });

  it("requires a file", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => undefined);
    render(<RunForm model={model} onSubmit={onSubmit} />);
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-mesh-error")?.textContent).toBe("Choose a file"));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("uploads a file with its progress and chooses it", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(async () => undefined);
    const { container } = render(<RunForm model={model} onSubmit={onSubmit} />);
    const picker = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(picker.accept).toBe(".step, .stp");
    await user.upload(picker, new File(["solid"], "part.stp"));
    const bar = await screen.findByRole("progressbar", { name: "Uploading for mesh" });
    expect(bar.getAttribute("aria-valuenow")).toBe("50");
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();
    finishUpload?.();
    await waitFor(() => expect(screen.getByRole("combobox", { name: /mesh/ }).textContent).toContain("part.stp"));
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ inputs: {}, files: { mesh: "f-new" } }));
  });
});
