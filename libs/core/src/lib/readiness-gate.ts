/**
 * Whether this process still accepts new work. Graceful shutdown closes it first, so `/ready`
 * answers 503 (and load balancers stop sending traffic) while in-flight requests drain.
 */
export class ReadinessGate {
  private closed = false;

  get open(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}
