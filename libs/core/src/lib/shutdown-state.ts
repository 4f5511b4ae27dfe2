/**
 * Whether this process is stopping. One instance per process (provided globally by the service
 * host): readiness endpoints report not-ready while `isDraining`, and the HTTP layer refuses new
 * requests with 503 while in-flight ones finish.
 */
export class ShutdownState {
  private draining = false;
  private readonly listeners = new Set<() => void>();

  get isDraining(): boolean {
    return this.draining;
  }

  /** Starts draining (once); listeners registered with `onDrain` run at that moment. */
  beginDrain(): void {
    if (this.draining) return;
    this.draining = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  /** Runs `listener` when draining begins (at once if it already has); returns an unsubscribe. */
  onDrain(listener: () => void): () => void {
    if (this.draining) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
