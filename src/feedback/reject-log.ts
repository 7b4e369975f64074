import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Rejected rows of one feedback file as `line,reason,detail` (no row content), opened on the first one. */
export class RejectLog {
  private out: WriteStream | undefined;

  constructor(private readonly path: string) {}

  async write(line: number, reason: string, detail: string): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.write('line,reason,detail\n');
    }
    if (!this.out.write(`${line},${reason},"${detail.replace(/"/g, '""')}"\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.out) return;
    this.out.end();
    await once(this.out, 'finish');
  }
}
