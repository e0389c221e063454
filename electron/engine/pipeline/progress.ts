// Progress with an ETA from measured speeds: the mean duration of the steps
// that actually ran (memo hits are instant and would make the ETA lie), spread
// over the concurrency in use.
import type { Progress } from '../../../shared/domain.ts';

export class ProgressTracker {
  private done = 0;
  private failed = 0;
  private total: number;
  private readonly concurrency: number;
  private readonly durations: number[] = [];

  constructor(total: number, concurrency: number) {
    this.total = total;
    this.concurrency = Math.max(1, concurrency);
  }

  setTotal(total: number): void {
    this.total = total;
  }

  stepDone(ms: number | null): void {
    this.done += 1;
    if (ms !== null) this.durations.push(ms);
  }

  stepFailed(): void {
    this.failed += 1;
  }

  resetFailed(): void {
    this.failed = 0;
  }

  snapshot(): Progress {
    const remaining = Math.max(0, this.total - this.done - this.failed);
    let etaSeconds: number | null = null;
    if (remaining === 0) etaSeconds = 0;
    else if (this.durations.length > 0) {
      const recent = this.durations.slice(-20);
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      etaSeconds = Math.round((mean * remaining) / Math.min(this.concurrency, remaining) / 1000);
    }
    return { done: this.done, total: this.total, failed: this.failed, etaSeconds };
  }
}
