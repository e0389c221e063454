// A bucket that refills continuously at a per-minute rate: the one shape of a
// per-minute allowance, for the provider's side (the simulator enforcing its
// limits) and Cairn's (the throttle pacing calls by what the provider said).
export class TokenBucket {
  protected perMinuteRate: number;
  protected capacityValue: number;
  protected level: number;
  #at: number;

  constructor(perMinute: number, capacity: number, level: number, now: number) {
    this.perMinuteRate = perMinute;
    this.capacityValue = capacity;
    this.level = level;
    this.#at = now;
  }

  get perMinute(): number {
    return this.perMinuteRate;
  }

  get capacity(): number {
    return this.capacityValue;
  }

  protected get ratePerMs(): number {
    return this.perMinuteRate / 60_000;
  }

  protected refill(now: number): void {
    this.level = Math.min(this.capacityValue, this.level + Math.max(0, now - this.#at) * this.ratePerMs);
    this.#at = now;
  }

  /** ms until `cost` can be taken (a cost over the capacity waits for a full bucket); 0 = now. */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const need = Math.min(cost, this.capacityValue);
    return this.level >= need ? 0 : Math.ceil((need - this.level) / this.ratePerMs);
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.level -= cost;
  }
}
