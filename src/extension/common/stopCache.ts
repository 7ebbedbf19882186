// Answers a tree view fetched from the adapter, kept for one stop: a new stop (session id and stop
// epoch) starts an empty cache, and a failed fetch is forgotten so that expanding again retries.

export class StopCache<T> {
  private stop = '';
  private readonly entries = new Map<string, Promise<T>>();

  /** Empty the cache when `stop` differs from the stop it holds answers for. */
  at(stop: string): this {
    if (stop !== this.stop) {
      this.stop = stop;
      this.entries.clear();
    }
    return this;
  }

  get(key: string, fetch: () => Promise<T>): Promise<T> {
    let p = this.entries.get(key);
    if (!p) {
      const q = fetch();
      q.catch(() => {
        if (this.entries.get(key) === q) this.entries.delete(key);
      });
      this.entries.set(key, q);
      p = q;
    }
    return p;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
