/**
 * An index of the view that files each change once, whoever offers it first: the process's informers file every
 * change as it comes, leading or not, and the running term's controller then asks what filing that same change
 * said (the owners it concerns, the pod it left pending) without filing it again. What each change said is kept
 * while the change is referenced, not only the last one's: a controller that is handed change 1 may cause change 2
 * at once (a sender that changes the view synchronously), and the controllers handed change 1 after that must get
 * change 1's answer, not file it again on top of change 2. No I/O.
 */
import type { ViewChange } from "../projections/clusterView.js";

/** An index kept up to date change by change; `apply` files one change and says what it meant. */
export interface ChangeIndex<E> {
  apply(change: ViewChange): E;
}

/** `index` with the result of each change it filed, by that change's identity. */
export class FiledIndex<I extends ChangeIndex<E>, E> {
  private readonly effects = new WeakMap<ViewChange, { effect: E }>();

  constructor(readonly index: I) {}

  /** Files `change` unless it was filed already; returns what filing it said. */
  file(change: ViewChange): E {
    let filed = this.effects.get(change);
    if (!filed) this.effects.set(change, (filed = { effect: this.index.apply(change) }));
    return filed.effect;
  }
}
