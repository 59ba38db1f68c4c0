/**
 * The topics a subscription names that do not exist yet. A Java consumer accepts such a subscription and joins
 * for the topic once it exists; an instance does the same by asking, at most once per interval, which of them
 * exist now.
 */
export type ExistingTopics = (topics: readonly string[]) => Promise<readonly string[]>;

export class PendingTopics {
  private pending: readonly string[];
  private checkedAt = Date.now();

  constructor(
    topics: readonly string[],
    private readonly existing: ExistingTopics,
    readonly intervalMs = 1000,
  ) {
    this.pending = [...topics];
  }

  /** Whether some subscribed topic is still missing. */
  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /** The pending topics that exist now (no longer pending); none when checked less than an interval ago. */
  async arrived(now = Date.now()): Promise<readonly string[]> {
    if (this.pending.length === 0 || now - this.checkedAt < this.intervalMs) return [];
    this.checkedAt = now;
    const found = await this.existing(this.pending);
    this.pending = this.pending.filter((t) => !found.includes(t));
    return found;
  }
}
