// A session's spending limit, shared by all its workers. Calls reserve their
// estimated cost before they start so that concurrent workers cannot together
// overshoot; the reservation is replaced by the real cost when they finish.
import { budgetError } from './errors.ts';

export class SessionBudget {
  readonly limitUsd: number | null;
  #spent: number;
  #reserved = 0;

  constructor(limitUsd: number | null, spentUsd = 0) {
    this.limitUsd = limitUsd;
    this.#spent = spentUsd;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  /** Throws a 'budget' EngineError when the call could take the session past its limit. */
  reserve(estimateUsd: number): { commit(actualUsd: number): void; release(): void } {
    if (this.limitUsd !== null && this.#spent + this.#reserved + estimateUsd > this.limitUsd) {
      throw budgetError(this.limitUsd, this.#spent + this.#reserved, estimateUsd);
    }
    this.#reserved += estimateUsd;
    let open = true;
    const close = (): void => {
      if (open) this.#reserved -= estimateUsd;
      open = false;
    };
    return {
      commit: (actualUsd) => {
        close();
        this.#spent += actualUsd;
      },
      release: close,
    };
  }

  /** Money spent by attempts that did not complete still counts. */
  add(usd: number): void {
    this.#spent += usd;
  }
}
