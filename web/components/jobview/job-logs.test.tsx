import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LogEntry } from "@/lib/jobs";
import { JobLogs } from "./job-logs";
import { isNearBottom } from "./stick-to-bottom";

afterEach(cleanup);

const entries = (n: number): LogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ index: i, kind: i % 2 ? "stderr" : "stdout", chunk: `line ${i}\n` }));

// jsdom has no layout: give the log box a size and let scrollTop be set freely.
function sizeBox(box: HTMLElement, scrollHeight: number, clientHeight = 100) {
  Object.defineProperty(box, "scrollHeight", { configurable: true, get: () => scrollHeight });
  Object.defineProperty(box, "clientHeight", { configurable: true, get: () => clientHeight });
}

describe("isNearBottom", () => {
  it("is true within the slack of the end only", () => {
    expect(isNearBottom({ scrollTop: 900, scrollHeight: 1000, clientHeight: 100 })).toBe(true);
    expect(isNearBottom({ scrollTop: 890, scrollHeight: 1000, clientHeight: 100 })).toBe(true);
    expect(isNearBottom({ scrollTop: 800, scrollHeight: 1000, clientHeight: 100 })).toBe(false);
  });
});

describe("JobLogs", () => {
  it("tells stdout from stderr", () => {
    render(<JobLogs entries={entries(2)} live />);
    const log = screen.getByRole("log");
    const lines = log.querySelectorAll("[data-kind]");
    expect([...lines].map((l) => [l.getAttribute("data-kind"), l.textContent])).toEqual([
      ["stdout", "line 0"],
      ["stderr", "stderr: line 1"],
    ]);
  });

  it("follows new lines, stops when the reader scrolls up, and jumps back on request", () => {
    const { rerender } = render(<JobLogs entries={entries(3)} live />);
    const box = screen.getByRole("log");
    sizeBox(box, 1000);
    rerender(<JobLogs entries={entries(4)} live />);
    expect(box.scrollTop).toBe(1000);

    box.scrollTop = 200; // the reader scrolls up
    fireEvent.scroll(box);
    sizeBox(box, 1200);
    rerender(<JobLogs entries={entries(5)} live />);
    expect(box.scrollTop).toBe(200);

    fireEvent.click(screen.getByRole("button", { name: "Jump to latest" }));
    expect(box.scrollTop).toBe(1200);
    sizeBox(box, 1400);
    rerender(<JobLogs entries={entries(6)} live />);
    expect(box.scrollTop).toBe(1400);
    expect(screen.queryByRole("button", { name: "Jump to latest" })).toBeNull();
  });

  it("says when there is nothing", () => {
    render(<JobLogs entries={[]} live={false} />);
    expect(screen.getByText("The job wrote nothing on stdout or stderr.")).toBeTruthy();
  });
});
