/**
 * kafkajs 2.2.4's request queue arms a timer after every response, also when no request waits and no broker
 * throttles: its delay is then `-1 - Date.now()`, which Node turns into 1 ms, so every connection wakes the event
 * loop every millisecond for as long as it is open. Node 24 also prints a TimeoutNegativeWarning for it on stderr
 * (kafkajs#1751, not fixed in any kafkajs release). Importing this module replaces that one method: the same timer
 * when requests wait or a throttle is in force, none otherwise — a waiting request is checked again when it is
 * pushed and whenever a response arrives, as in kafkajs.
 */
import { kafkajsInternal } from './kafkajs-internals.js';

interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  readonly pending: readonly unknown[];
  checkPendingRequests(): void;
}

interface RequestQueueClass {
  readonly prototype: RequestQueueState & { scheduleCheckPendingRequests(this: RequestQueueState): void };
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_MS = 10;

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && throttledFor <= 0) return;
  const delay = throttledFor > 0 ? throttledFor : CHECK_PENDING_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

kafkajsInternal<RequestQueueClass>('src/network/requestQueue/index.js').prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
