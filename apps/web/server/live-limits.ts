/**
 * Caps on the live view, per web process: WebSocket connections per client IP (checked at
 * the upgrade, before anything is allocated) and task feeds per connection. Together they
 * bound what one address can make this process hold.
 */
import { AppError } from "@vitranslator/api";

export class LiveLimits {
  private readonly perIp = new Map<string, number>();

  constructor(readonly opts: { connectionsPerIp: number; feedsPerConnection: number }) {}

  /** Counts a new connection from `ip`; null when that address has too many open. */
  openConnection(ip: string): (() => void) | null {
    const n = this.perIp.get(ip) ?? 0;
    if (n >= this.opts.connectionsPerIp) return null;
    this.perIp.set(ip, n + 1);
    return once(() => {
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
  }

  connections(): number {
    let n = 0;
    for (const v of this.perIp.values()) n += v;
    return n;
  }

  /** A counter for one connection's feeds; `acquire` throws TOO_MANY_FEEDS past the cap. */
  feedCounter(): { acquire(): () => void } {
    let open = 0;
    const max = this.opts.feedsPerConnection;
    return {
      acquire() {
        if (open >= max)
          throw new AppError(
            "TOO_MANY_FEEDS",
            `This connection already follows ${max} tasks; close one (or open another page) first.`,
          );
        open += 1;
        return once(() => {
          open -= 1;
        });
      },
    };
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
