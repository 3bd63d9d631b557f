import { emptyWindow, mergeWindow, type WindowCounts } from './recorder.js';

/**
 * Joins the windows of N runners into one stream, in order: window s is complete once every
 * runner has posted window s or has finished (a runner's last window may come one second
 * earlier than another's). Each runner posts its windows in order; postMessage keeps it.
 */
export class WindowJoiner {
  private readonly pending = new Map<number, WindowCounts>();
  private readonly posted: number[];
  private readonly finished: boolean[];
  private next = 1;

  constructor(
    runners: number,
    private readonly emit: (w: WindowCounts) => void,
  ) {
    this.posted = new Array<number>(runners).fill(0);
    this.finished = new Array<boolean>(runners).fill(false);
  }

  /** Runner `runner` closed window `w`. */
  add(runner: number, w: WindowCounts): void {
    if (this.posted.length === 1) {
      // One runner: nothing to wait for or merge.
      this.posted[0] = w.second;
      this.next = w.second + 1;
      this.emit(w);
      return;
    }
    let into = this.pending.get(w.second);
    if (into === undefined) this.pending.set(w.second, (into = emptyWindow(w.second)));
    mergeWindow(into, w);
    this.posted[runner] = w.second;
    this.flush();
  }

  /** Runner `runner` will post nothing more. */
  finish(runner: number): void {
    this.finished[runner] = true;
    this.flush();
  }

  private flush(): void {
    for (;;) {
      const w = this.pending.get(this.next);
      if (w === undefined || !this.complete(this.next)) return;
      this.pending.delete(this.next);
      this.next++;
      this.emit(w);
    }
  }

  private complete(second: number): boolean {
    for (let i = 0; i < this.posted.length; i++) {
      if (this.posted[i] < second && !this.finished[i]) return false;
    }
    return true;
  }
}
