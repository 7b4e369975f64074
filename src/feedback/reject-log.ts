import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { escapeFormulaCell } from '../csv/formula-cells';

/** Rejected rows of one feedback file as `line,reason,detail` (no row content), opened on the first one. */
export class RejectLog {
  private out: WriteStream | undefined;

  constructor(private readonly path: string) {}

  async write(line: number, reason: string, detail: string): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.write('line,reason,detail\n');
    }
    const cell = escapeFormulaCell(detail).replace(/"/g, '""');
    if (!this.out.write(`${line},${reason},"${cell}"\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.out) return;
    this.out.end();
    await once(this.out, 'finish');
  }
}
