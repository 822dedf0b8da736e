/**
 * The event bus a live subscription reads through: when Redis goes away (restart,
 * failover) the tail waits and resumes after the last event it yielded, so the client's
 * subscription neither ends nor skips or repeats an event.
 */
import { EventBus } from "@vitranslator/queue";
import type { StoredEvent } from "@vitranslator/queue";

export class ResumingEventBus extends EventBus {
  constructor(
    redis: ConstructorParameters<typeof EventBus>[0],
    prefix: string,
    private readonly onRetry: (err: unknown) => void = () => undefined,
    private readonly retryDelayMs = 500,
  ) {
    super(redis, prefix);
  }

  override async *tail(opts: Parameters<EventBus["tail"]>[0]): AsyncGenerator<StoredEvent> {
    let afterId = opts.afterId || "0";
    for (;;) {
      try {
        for await (const e of super.tail({ ...opts, afterId })) {
          afterId = e.id;
          yield e;
        }
        return;
      } catch (err) {
        if (opts.signal.aborted) return;
        this.onRetry(err);
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }
}
