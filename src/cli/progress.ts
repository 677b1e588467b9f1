import type { ImportProgress } from '../imports/import-run.js';

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Import progress on stderr: a bar redrawn in place on a terminal (its length from the bytes
 * read of the file), plain log lines otherwise (a pipe, a log file, a test).
 */
export class ProgressReporter {
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number | null,
    private readonly bytesRead: () => number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  get tty(): boolean {
    return this.stream.isTTY === true;
  }

  update(p: ImportProgress): void {
    const counts = `${fmt(p.read)} rows, ${fmt(p.rowsPerSecond)} rows/s, ${fmt(p.imported)} ok, ${fmt(p.alreadyPresent)} present, ${fmt(p.rejected)} rejected`;
    if (!this.tty) {
      this.stream.write(`${this.label}: ${counts}\n`);
      return;
    }
    const width = 30;
    const share = this.totalBytes ? Math.min(1, this.bytesRead() / this.totalBytes) : 0;
    const done = Math.round(share * width);
    const bar = this.totalBytes
      ? `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round(share * 100)).padStart(3)}% `
      : '';
    this.stream.write(`\r${this.label} ${bar}${counts}\u001b[K`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** Progress of a job in phases (the duplicates scan): a bar per phase on a terminal, lines otherwise. */
export class PhaseProgress {
  private drawn = false;
  private lastPhase = '';
  private lastLine = 0;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(phase: string, done: number, total: number): void {
    const tty = this.stream.isTTY === true;
    const counts = `${phase}: ${fmt(done)} of ${fmt(total)}`;
    if (!tty) {
      // A line per phase and at most one a second: a log stays readable.
      const now = Date.now();
      if (phase === this.lastPhase && now - this.lastLine < 1000 && done < total) return;
      this.lastPhase = phase;
      this.lastLine = now;
      this.stream.write(`${this.label} ${counts}\n`);
      return;
    }
    if (phase !== this.lastPhase && this.drawn) this.stream.write('\n');
    this.lastPhase = phase;
    const width = 30;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const n = Math.round(share * width);
    this.stream.write(
      `\r${this.label} [${'#'.repeat(n)}${'.'.repeat(width - n)}] ${String(Math.round(share * 100)).padStart(3)}% ${counts}\u001b[K`,
    );
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
