/**
 * The index terms of the read model's documents: `*`, `ns:<ns>`, `l:<k>=<v>` and `lk:<k>` per label, and
 * `f:<field>=<v>` for each field its kind registers (`ActorKind.indexedFields`). Every event re-indexes its document,
 * so the terms are built once per distinct input and handed out as the same strings: a labels object's terms once
 * per object (the pods of one RC hold one labels object, by the read model's structural sharing, and a document's
 * later versions keep it by reference), a namespace's or a field value's term once per value. No I/O.
 */
import type { ActorKind } from "../actors/registry.js";
import type { EntityDocument } from "./projection.js";
import { fieldValue } from "./selectors.js";

/** The term every document of a kind has. */
export const ALL = "*";

const NAMESPACE = "ns:";

/** Builds and remembers the terms; `forget` drops a term once no document holds it, so the memory stays bounded. */
export class IndexTerms {
  /** Label terms by labels object (dropped with it). */
  private readonly byLabels = new WeakMap<object, readonly string[]>();
  /** Head (`ns:`, `f:<field>=`) → value → term. */
  private readonly byValue = new Map<string, Map<string, string>>();
  /** Each field's head, built once. */
  private readonly heads = new Map<string, string>();

  /** `canonical` gives the string already held for a label term, if any (labels objects of equal content share it). */
  constructor(private readonly canonical: (term: string) => string = (t) => t) {}

  /** The terms of a document whose object (labels, indexed fields) is `object`. */
  of(kind: ActorKind, doc: EntityDocument, object: Record<string, unknown>): string[] {
    const terms = [ALL, this.term(NAMESPACE, doc.namespace)];
    const labels = (object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    if (labels) for (const t of this.labelTerms(labels)) terms.push(t);
    const fields = kind.indexedFields;
    if (fields) {
      for (const field in fields) {
        const v = fieldValue(object, field);
        if (v !== "" || fields[field] === "every") terms.push(this.term(this.headOf(field), v));
      }
    }
    return terms;
  }

  /** Number of namespace and field terms held (labels' terms go with their objects). */
  get size(): number {
    let n = 0;
    for (const values of this.byValue.values()) n += values.size;
    return n;
  }

  /** Forgets `term` (no document holds it any more). */
  forget(term: string): void {
    const head = term.startsWith(NAMESPACE) ? NAMESPACE : term.startsWith("f:") ? term.slice(0, term.indexOf("=") + 1) : null;
    if (head === null) return;
    const values = this.byValue.get(head);
    values?.delete(term.slice(head.length));
    if (values?.size === 0) this.byValue.delete(head);
  }

  private labelTerms(labels: Record<string, string>): readonly string[] {
    let terms = this.byLabels.get(labels);
    if (!terms) {
      const built: string[] = [];
      for (const k in labels) built.push(this.canonical(`l:${k}=${labels[k]}`), this.canonical(`lk:${k}`));
      this.byLabels.set(labels, (terms = built));
    }
    return terms;
  }

  private headOf(field: string): string {
    let head = this.heads.get(field);
    if (head === undefined) this.heads.set(field, (head = `f:${field}=`));
    return head;
  }

  private term(head: string, value: string): string {
    let values = this.byValue.get(head);
    if (!values) this.byValue.set(head, (values = new Map()));
    let term = values.get(value);
    if (term === undefined) values.set(value, (term = head + value));
    return term;
  }
}
