/**
 * An index of the view that files each change once, whoever offers it first: the process's informers file every
 * change as it comes, leading or not, and the running term's controller then asks what filing that same change
 * said (the owners it concerns, the pod it left pending) without filing it again. No I/O.
 */
import type { ViewChange } from "../projections/clusterView.js";

/** An index kept up to date change by change; `apply` files one change and says what it meant. */
export interface ChangeIndex<E> {
  apply(change: ViewChange): E;
}

/** `index` with the result of the change it filed last, by that change's identity. */
export class FiledIndex<I extends ChangeIndex<E>, E> {
  private last: ViewChange | null = null;
  private effect: E | undefined;

  constructor(readonly index: I) {}

  /** Files `change` unless it was the change filed last; returns what filing it said. */
  file(change: ViewChange): E {
    if (change !== this.last) {
      this.effect = this.index.apply(change);
      this.last = change;
    }
    return this.effect as E;
  }
}
