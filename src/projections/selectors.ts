/**
 * Label and field selectors as Kubernetes spells them, parsed into requirements and matched against
 * internal objects. Parse errors are BadRequest Statuses whose cause names the selector and the offending part.
 */
import { StatusError } from "../api/status.js";

/** One requirement of a label selector. `exists`/`!exists` carry no values; `=`/`!=` carry one. */
export interface LabelRequirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!exists";
  values: string[];
}

/** The fields a field selector may name (the same for every kind; a field the object lacks reads as ""). */
export const SELECTABLE_FIELDS = ["metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"] as const;
export type SelectableField = (typeof SELECTABLE_FIELDS)[number];

/** One requirement of a field selector. */
export interface FieldRequirement {
  field: SelectableField;
  op: "=" | "!=";
  value: string;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function bad(selector: "labelSelector" | "fieldSelector", message: string): StatusError {
  return new StatusError("BadRequest", `${selector}: ${message}`, { causes: [{ field: selector, message }] });
}

function checkKey(key: string): string | null {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? null : key.slice(0, slash);
  if (prefix !== null && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix))) return `invalid label key prefix "${prefix}"`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return `invalid label key "${key}"`;
  return null;
}

function checkValue(value: string): string | null {
  if (value === "") return null;
  return value.length <= 63 && NAME.test(value) ? null : `invalid label value "${value}"`;
}

type Token = { t: "word"; v: string } | { t: "op"; v: string } | { t: "(" | ")" | "," };

/** Splits a label selector into words, operators, parentheses and commas. Pure. */
function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === " " || c === "\t") { i++; continue; }
    if (c === "(" || c === ")" || c === ",") { out.push({ t: c }); i++; continue; }
    const two = input.slice(i, i + 2);
    if (two === "==" || two === "!=") { out.push({ t: "op", v: two }); i += 2; continue; }
    if (c === "=" || c === "!") { out.push({ t: "op", v: c }); i++; continue; }
    let j = i;
    while (j < input.length && !" \t(),=!".includes(input[j] as string)) j++;
    out.push({ t: "word", v: input.slice(i, j) });
    i = j;
  }
  return out;
}

/**
 * Parses a label selector: `app=web`, `app==web`, `app!=web`, `tier in (a,b)`, `tier notin (a)`, `canary`,
 * `!canary`, joined by commas (AND). The empty selector matches everything. Pure; throws BadRequest.
 */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const toks = lex(input);
  const out: LabelRequirement[] = [];
  let i = 0;
  const fail = (m: string) => bad("labelSelector", m);
  const word = (what: string): string => {
    const t = toks[i++];
    if (t?.t !== "word") throw fail(`expected ${what} at "${rest(toks, i - 1)}"`);
    return t.v;
  };
  while (i < toks.length) {
    let req: LabelRequirement;
    if (toks[i]?.t === "op" && (toks[i] as { v: string }).v === "!") {
      i++;
      req = { key: word("a label key after '!'"), op: "!exists", values: [] };
    } else {
      const key = word("a label key");
      const t = toks[i];
      if (t === undefined || t.t === ",") req = { key, op: "exists", values: [] };
      else if (t.t === "op" && t.v !== "!") {
        i++;
        const v = toks[i]?.t === "word" ? word("a value") : "";
        req = { key, op: t.v === "!=" ? "!=" : "=", values: [v] };
      } else if (t.t === "word" && (t.v === "in" || t.v === "notin")) {
        i++;
        req = { key, op: t.v, values: valueSet(toks, () => i, (n) => { i = n; }, fail) };
      } else throw fail(`expected an operator (=, ==, !=, in, notin) after "${key}"`);
    }
    const keyError = checkKey(req.key);
    if (keyError) throw fail(keyError);
    for (const v of req.values) { const e = checkValue(v); if (e) throw fail(e); }
    out.push(req);
    if (i < toks.length) {
      if (toks[i]?.t !== ",") throw fail(`expected ',' at "${rest(toks, i)}"`);
      i++;
      if (i === toks.length) throw fail("a trailing ',' has no requirement after it");
    }
  }
  return out;
}

function valueSet(toks: Token[], at: () => number, set: (n: number) => void, fail: (m: string) => StatusError): string[] {
  let i = at();
  if (toks[i]?.t !== "(") throw fail("expected '(' after in/notin");
  i++;
  const values: string[] = [];
  for (;;) {
    const t = toks[i];
    if (t?.t === "word") { values.push(t.v); i++; } else throw fail("expected a value in the set");
    const sep = toks[i++];
    if (sep?.t === ")") break;
    if (sep?.t !== ",") throw fail("expected ',' or ')' in the set");
  }
  set(i);
  return values;
}

function rest(toks: Token[], from: number): string {
  return toks.slice(from).map((t) => ("v" in t ? t.v : t.t)).join(" ") || "<end>";
}

/**
 * Parses a field selector: `field=value`, `field==value`, `field!=value`, comma = AND, fields from
 * SELECTABLE_FIELDS; the value may be empty (`metadata.name=`). Pure; throws BadRequest.
 */
export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === "") return [];
  return input.split(",").map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw bad("fieldSelector", `"${part}" is not field=value, field==value or field!=value`);
    const [, field = "", op = "", value = ""] = m;
    if (!(SELECTABLE_FIELDS as readonly string[]).includes(field)) {
      throw bad("fieldSelector", `field "${field}" is not supported (supported: ${SELECTABLE_FIELDS.join(", ")})`);
    }
    if (/[=!,\s]/.test(value)) throw bad("fieldSelector", `invalid value "${value}" for ${field}`);
    return { field: field as SelectableField, op: op === "!=" ? "!=" : "=", value };
  });
}

/** True when `labels` satisfy every requirement. Pure. */
export function matchesLabels(reqs: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=": return has && v === r.values[0];
      case "!=": return !has || v !== r.values[0];
      case "in": return has && r.values.includes(v as string);
      case "notin": return !has || !r.values.includes(v as string);
      case "exists": return has;
      case "!exists": return !has;
      default: { const never: never = r.op; return never; }
    }
  });
}

/** The value of a selectable field in an internal object ("" when absent). Pure. */
export function fieldValue(object: Record<string, unknown>, field: SelectableField): string {
  const [top, sub] = field.split(".") as [string, string];
  const v = (object[top] as Record<string, unknown> | undefined)?.[sub];
  return typeof v === "string" ? v : "";
}

/** True when the object satisfies every field requirement. Pure. */
export function matchesFields(reqs: readonly FieldRequirement[], object: Record<string, unknown>): boolean {
  return reqs.every((r) => (fieldValue(object, r.field) === r.value) === (r.op === "="));
}

/** A parsed pair of selectors. */
export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** Parses both selectors (either may be absent). Pure; throws BadRequest naming the selector. */
export function parseSelector(labelSelector?: string, fieldSelector?: string): Selector {
  return { labels: parseLabelSelector(labelSelector ?? ""), fields: parseFieldSelector(fieldSelector ?? "") };
}

/** True when an internal object satisfies a selector. Pure. */
export function matchesSelector(sel: Selector, object: Record<string, unknown>): boolean {
  const labels = (object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  return matchesLabels(sel.labels, labels) && matchesFields(sel.fields, object);
}
