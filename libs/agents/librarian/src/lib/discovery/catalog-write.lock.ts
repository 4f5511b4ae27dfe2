/**
 * Serialises writes to the catalog: a full run and a delta batch never interleave, so a delta
 * applied during a full run is not overwritten by that run's older states (or the other way round).
 */
export class CatalogWriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
