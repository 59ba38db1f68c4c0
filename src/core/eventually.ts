/**
 * Waits for the cluster to show a change it has accepted. KRaft brokers apply the controller's metadata a moment
 * after a call returns, so a proxy answering "done" right away would let the caller's next read see the old state.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
