import { describe, expect, it } from "vitest";
import type { Job, LogEntry } from "./jobs";
import { JobStream, type EventSourceLike, type ProgressEntry } from "./job-stream";

// A stand-in for the browser's EventSource: the test plays the server.
class FakeSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  onopen: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  emit(type: string, data: unknown, id?: number): void {
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id === undefined ? "" : String(id) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }
}

function harness() {
  const sources: FakeSource[] = [];
  const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
  const logs: LogEntry[] = [];
  const progress: ProgressEntry[] = [];
  const statuses: string[] = [];
  const finals: Job[] = [];
  let troubles = 0;
  const stream = new JobStream(
    "job/1",
    {
      onLog: (e) => logs.push(e),
      onProgress: (p) => progress.push(p),
      onStatus: (s) => statuses.push(s),
      onFinal: (j) => finals.push(j),
      onTrouble: () => troubles++,
    },
    {
      create: (url) => {
        const source = new FakeSource(url);
        sources.push(source);
        return source;
      },
      schedule: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
      firstDelayMs: 100,
      maxDelayMs: 250,
    },
  );
  return { stream, sources, timers, logs, progress, statuses, finals, troubles: () => troubles };
}

describe("JobStream", () => {
  it("opens the job's events from the start and delivers status, logs and progress", () => {
    const h = harness();
    h.stream.start();
    expect(h.sources).toHaveLength(1);
    expect(h.sources[0]!.url).toBe("/api/v1/jobs/job%2F1/events");
    h.sources[0]!.open();
    h.sources[0]!.emit("status", { status: "running" }, 0);
    h.sources[0]!.emit("log", { index: 0, kind: "stdout", chunk: "step 1/2\n" }, 1);
    h.sources[0]!.emit("log", { index: 1, kind: "stderr", chunk: "note 1\n" }, 2);
    h.sources[0]!.emit("progress", { index: 2, pct: 50, msg: "step 1" }, 3);
    expect(h.statuses).toEqual(["running"]);
    expect(h.logs.map((l) => [l.kind, l.chunk])).toEqual([
      ["stdout", "step 1/2\n"],
      ["stderr", "note 1\n"],
    ]);
    expect(h.progress).toEqual([{ index: 2, pct: 50, msg: "step 1" }]);
    expect(h.stream.resumeIndex).toBe(3);
  });

  it("drops entries replayed after the browser's own reconnect (nothing twice)", () => {
    const h = harness();
    h.stream.start();
    const source = h.sources[0]!;
    source.emit("log", { index: 0, kind: "stdout", chunk: "a" });
    source.emit("log", { index: 1, kind: "stdout", chunk: "b" });
    source.fail(0); // CONNECTING: the browser retries with Last-Event-ID by itself
    expect(h.sources).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
    source.emit("status", { status: "running" });
    source.emit("log", { index: 1, kind: "stdout", chunk: "b" });
    source.emit("log", { index: 2, kind: "stdout", chunk: "c" });
    expect(h.logs.map((l) => l.chunk)).toEqual(["a", "b", "c"]);
  });

  it("resumes with ?since= after the browser gave up, with a growing delay", () => {
    const h = harness();
    h.stream.start();
    h.sources[0]!.emit("log", { index: 0, kind: "stdout", chunk: "a" });
    h.sources[0]!.emit("progress", { index: 1, pct: 10 });
    h.sources[0]!.fail(2);
    expect(h.sources[0]!.closed).toBe(true);
    expect(h.troubles()).toBe(1);
    expect(h.timers.map((t) => t.ms)).toEqual([100]);
    h.timers[0]!.run();
    expect(h.sources[1]!.url).toBe("/api/v1/jobs/job%2F1/events?since=2");
    h.sources[1]!.fail(2);
    h.timers[1]!.run();
    h.sources[2]!.fail(2);
    expect(h.timers.map((t) => t.ms)).toEqual([100, 200, 250]);
    h.timers[2]!.run();
    h.sources[3]!.open();
    h.sources[3]!.emit("log", { index: 2, kind: "stdout", chunk: "b" });
    expect(h.logs.map((l) => l.chunk)).toEqual(["a", "b"]);
  });

  it("closes on the final status and hands over the whole job once", () => {
    const h = harness();
    h.stream.start();
    const source = h.sources[0]!;
    source.emit("status", { status: "running" });
    const job = { job_id: "job/1", status: "completed", outputs: { steps: 5 } };
    source.emit("status", job, 9);
    expect(source.closed).toBe(true);
    expect(h.finals).toEqual([job]);
    expect(h.stream.done).toBe(true);
    source.emit("status", job, 9);
    source.emit("log", { index: 9, kind: "stdout", chunk: "late" });
    source.fail(2);
    expect(h.finals).toHaveLength(1);
    expect(h.logs).toHaveLength(0);
    expect(h.timers).toHaveLength(0);
    h.stream.start();
    expect(h.sources).toHaveLength(1);
  });

  it("calls nothing after stop() and cancels a pending retry", () => {
    const h = harness();
    h.stream.start();
    h.sources[0]!.fail(2);
    h.stream.stop();
    expect(h.timers[0]!.cancelled).toBe(true);
    h.sources[0]!.emit("log", { index: 0, kind: "stdout", chunk: "x" });
    expect(h.logs).toHaveLength(0);
  });

  it("ignores malformed data", () => {
    const h = harness();
    h.stream.start();
    const event = new MessageEvent("log", { data: "not json" });
    // @ts-expect-error reaching the listener the way the browser does
    h.sources[0]!.listeners.get("log")![0](event);
    h.sources[0]!.emit("status", { nothing: true });
    expect(h.logs).toHaveLength(0);
    expect(h.statuses).toHaveLength(0);
  });
});
