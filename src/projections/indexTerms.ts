/**
 * The index terms of the read model's documents: `*`, `ns:<ns>`, `l:<k>=<v>` and `lk:<k>` per label, and
 * `f:<field>=<v>` for each field its kind registers (`ActorKind.indexedFields`). Every event re-indexes its document,
 * so the terms are built once per distinct input and handed out as the same strings: a labels object's terms once
 * per object (the pods of one RC hold one labels object, by the read model's structural sharing, and a document's
 * later versions keep it by reference), and every term once per value (each live term is one string in memory,
 * whichever documents hold it). No I/O.
 */
import type { ActorKind } from "../actors/registry.js";
import type { EntityDocument } from "./projection.js";
import { fieldValue } from "./selectors.js";

/** The term every document of a kind has. */
export const ALL = "*";

const NAMESPACE = "ns:";
const LABEL_KEY = "lk:";

/** Builds and remembers the terms; `forget` drops a term once no document holds it, so the memory stays bounded. */
export class IndexTerms {
  /** Label terms by labels object (dropped with it). */
  private readonly byLabels = new WeakMap<object, readonly string[]>();
  /** Head (`ns:`, `lk:`, `l:<key>=`, `f:<field>=`) → value → term. */
  private readonly byValue = new Map<string, Map<string, string>>();
  /** Each indexed field's head, built once. */
  private readonly heads = new Map<string, string>();

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

  /** Number of terms held. */
  get size(): number {
    let n = 0;
    for (const values of this.byValue.values()) n += values.size;
    return n;
  }

  /** Forgets `term` (no document holds it any more). A labels object that built it keeps its copy. */
  forget(term: string): void {
    if (term === ALL) return;
    // A label key or a field path holds no `=`, so the head of an `l:` or `f:` term ends at its first one.
    const head = term.startsWith(NAMESPACE) ? NAMESPACE : term.startsWith(LABEL_KEY) ? LABEL_KEY : term.slice(0, term.indexOf("=") + 1);
    const values = this.byValue.get(head);
    values?.delete(term.slice(head.length));
    if (values?.size === 0) this.byValue.delete(head);
  }

  private labelTerms(labels: Record<string, string>): readonly string[] {
    let terms = this.byLabels.get(labels);
    if (!terms) {
      const built: string[] = [];
      for (const k in labels) built.push(this.term(`l:${k}=`, labels[k] as string), this.term(LABEL_KEY, k));
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
