// The live side of a job: its server-sent events (GET /jobs/{id}/events) turned into
// calls the job page renders — status changes, log chunks, progress, the final job.
//
// Contract:
//  - One EventSource at a time, opened with credentials (the session cookie).
//  - Every log and progress entry is delivered once, in index order: an entry whose
//    index was already delivered (a replay after a reconnect) is dropped.
//  - The browser reconnects by itself on a dropped connection, sending Last-Event-ID;
//    when it gives up instead (readyState CLOSED: an HTTP error, a restart of the server),
//    the stream opens a new one with ?since=<next index> after a delay that doubles up to
//    maxDelayMs, and calls onTrouble so the page can recheck the job (a 401 then signs in).
//  - A final status (completed, failed, timeout, cancelled) carries the whole job: the
//    stream closes for good and calls onFinal once. stop() closes it too, and nothing is
//    called after it.
import { isFinalStatus } from "./job-status";
import { jobEventsUrl, type Job, type LogEntry } from "./jobs";

export interface ProgressEntry {
  index: number;
  pct: number;
  msg?: string;
}

/** The part of the browser's EventSource the stream uses (tests give a stand-in). */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  onopen: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface JobStreamHandlers {
  onStatus?(status: string): void;
  onLog?(entry: LogEntry): void;
  onProgress?(entry: ProgressEntry): void;
  onFinal?(job: Job): void;
  onConnection?(state: ConnectionState): void;
  onTrouble?(): void;
}

export interface JobStreamOptions {
  create?: EventSourceFactory;
  schedule?: (run: () => void, ms: number) => () => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

const CLOSED = 2;

const browserEventSource: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true });
const browserSchedule = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

function parse(event: MessageEvent): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(String(event.data));
    return data && typeof data === "object" ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class JobStream {
  private source: EventSourceLike | undefined;
  private nextIndex = 0;
  private finished = false;
  private stopped = false;
  private delay: number;
  private cancelRetry: (() => void) | undefined;
  private readonly create: EventSourceFactory;
  private readonly schedule: NonNullable<JobStreamOptions["schedule"]>;
  private readonly maxDelay: number;
  private readonly firstDelay: number;

  constructor(
    private readonly jobId: string,
    private readonly handlers: JobStreamHandlers,
    options: JobStreamOptions = {},
  ) {
    this.create = options.create ?? browserEventSource;
    this.schedule = options.schedule ?? browserSchedule;
    this.firstDelay = options.firstDelayMs ?? 1000;
    this.maxDelay = options.maxDelayMs ?? 15000;
    this.delay = this.firstDelay;
  }

  /** The index of the next log entry wanted (what a reconnect asks for). */
  get resumeIndex(): number {
    return this.nextIndex;
  }

  get done(): boolean {
    return this.finished;
  }

  start(): void {
    if (this.stopped || this.finished || this.source) return;
    this.handlers.onConnection?.(this.nextIndex === 0 ? "connecting" : "reconnecting");
    const source = this.create(jobEventsUrl(this.jobId, this.nextIndex));
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      this.delay = this.firstDelay;
      this.handlers.onConnection?.("open");
    };
    source.onerror = () => this.failed(source);
    source.addEventListener("status", (event) => this.status(source, event));
    source.addEventListener("log", (event) => this.entry(source, event, "log"));
    source.addEventListener("progress", (event) => this.entry(source, event, "progress"));
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.close();
  }

  private close(): void {
    this.source?.close();
    this.source = undefined;
  }

  private live(source: EventSourceLike): boolean {
    return !this.stopped && !this.finished && this.source === source;
  }

  private status(source: EventSourceLike, event: MessageEvent): void {
    if (!this.live(source)) return;
    const data = parse(event);
    const status = typeof data?.status === "string" ? data.status : undefined;
    if (!status) return;
    this.handlers.onStatus?.(status);
    if (isFinalStatus(status)) {
      this.finished = true;
      this.close();
      this.handlers.onConnection?.("closed");
      this.handlers.onFinal?.(data as unknown as Job);
    }
  }

  private entry(source: EventSourceLike, event: MessageEvent, kind: "log" | "progress"): void {
    if (!this.live(source)) return;
    const data = parse(event);
    const index = typeof data?.index === "number" ? data.index : undefined;
    if (index === undefined || index < this.nextIndex) return;
    this.nextIndex = index + 1;
    if (kind === "log") {
      const chunk = typeof data?.chunk === "string" ? data.chunk : "";
      this.handlers.onLog?.({ index, kind: data?.kind === "stderr" ? "stderr" : "stdout", chunk });
    } else {
      const pct = typeof data?.pct === "number" ? data.pct : 0;
      this.handlers.onProgress?.({ index, pct, msg: typeof data?.msg === "string" ? data.msg : undefined });
    }
  }

  private failed(source: EventSourceLike): void {
    if (!this.live(source)) return;
    if (source.readyState !== CLOSED) {
      this.handlers.onConnection?.("reconnecting"); // the browser retries with Last-Event-ID
      return;
    }
    this.close();
    this.handlers.onConnection?.("reconnecting");
    this.handlers.onTrouble?.();
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = undefined;
      this.start();
    }, wait);
  }
}
