/**
 * A read whose answer must be newer than the question: "the member list as of now", "the directory up to its end as
 * of now". Callers arriving while a read is out cannot share it (it was sent before they asked), so they share the
 * next one, which starts when the current one ends: many concurrent callers cost at most two reads in a row.
 */
export class FreshRead<T> {
  private current: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.current) return this.start();
    this.next ??= this.current.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<T> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<T> {
    const running = this.read().finally(() => {
      if (this.current === running) this.current = undefined;
    });
    this.current = running;
    return running;
  }
}
