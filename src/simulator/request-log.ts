// A ring buffer of recent SOAP calls for test assertions. It records what was called and how it
// ended, never parameter values (they hold recipient data and credentials).
export interface RequestLogEntry {
  time: number;
  service: string;
  operation: string;
  mandatorId: number | null;
  httpStatus: number;
  fault: string | null;
  durationMs: number;
  bytesIn: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 2000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
