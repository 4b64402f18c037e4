/**
 * Label and field selectors as Kubernetes spells them, parsed into requirements and matched against
 * internal objects. Parse errors are BadRequest Statuses whose cause names the selector and the offending part.
 */
import { matchesLabels, type LabelRequirement } from "../api/labelSelector.js";
import { StatusError } from "../api/status.js";


/**
 * The field selector labels every kind supports unless it declares its own (`ActorKind.selectableFields`), each with
 * the object path it reads. A label the kind does not list is refused as the Kubernetes API server refuses it.
 */
export const COMMON_SELECTABLE_FIELDS: Readonly<Record<string, string>> = {
  "metadata.name": "metadata.name",
  "metadata.namespace": "metadata.namespace",
  "spec.nodeName": "spec.nodeName",
  "status.phase": "status.phase",
};

/** One requirement of a field selector: the label as the client spelled it and the object path it reads. */
export interface FieldRequirement {
  field: string;
  path: string;
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
 * Parses a field selector as Kubernetes does: terms joined by unescaped commas (AND), each `field=value`,
 * `field==value` or `field!=value` split at the first operator; `\\`, `\,` and `\=` escape a value's special
 * characters; the value may be empty (`involvedObject.namespace=`). `fields` are the labels the kind supports
 * (label → path). Pure; throws BadRequest (`field label not supported: x` for an unknown field).
 */
export function parseFieldSelector(input: string, fields: Readonly<Record<string, string>> = COMMON_SELECTABLE_FIELDS): FieldRequirement[] {
  if (input.trim() === "") return [];
  return splitUnescaped(input).map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)(.*)$/.exec(part);
    if (!m) throw bad("fieldSelector", `"${part}" is not field=value, field==value or field!=value`);
    const [, field = "", op = "", raw = ""] = m;
    const path = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (path === undefined) {
      // Kubernetes' words exactly: kubectl prints the server's message after its own "Unable to find …" prefix.
      const message = `field label not supported: ${field}`;
      throw new StatusError("BadRequest", message, { causes: [{ field: "fieldSelector", message }] });
    }
    const value = unescapeValue(raw.trim());
    if (value === null) throw bad("fieldSelector", `invalid value "${raw.trim()}" for ${field}: unescaped '=' or ',' or an unknown escape`);
    return { field, path, op: op === "!=" ? "!=" : "=", value };
  });
}

/** Splits at commas not escaped by a backslash (the escapes stay for unescapeValue). Pure. */
function splitUnescaped(input: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === "\\" && i + 1 < input.length) { cur += c + (input[++i] as string); continue; }
    if (c === ",") { out.push(cur); cur = ""; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** A field selector value with its escapes resolved, or null when it holds an unescaped `=`/`,` or a bad escape. Pure. */
function unescapeValue(raw: string): string | null {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === "\\") {
      const next = raw[++i];
      if (next !== "\\" && next !== "," && next !== "=") return null;
      out += next;
    } else if (c === "=" || c === ",") return null;
    else out += c;
  }
  return out;
}

/** The value at a dotted path of an internal object (numbers and booleans as text; "" when absent). Pure. */
export function fieldValue(object: Record<string, unknown>, path: string): string {
  let v: unknown = object;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return "";
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
}

/** True when the object satisfies every field requirement. Pure. */
export function matchesFields(reqs: readonly FieldRequirement[], object: Record<string, unknown>): boolean {
  return reqs.every((r) => (fieldValue(object, r.path) === r.value) === (r.op === "="));
}

/** A parsed pair of selectors. */
export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** Parses both selectors (either may be absent); `fields` as in parseFieldSelector. Pure; throws BadRequest naming the selector. */
export function parseSelector(labelSelector?: string, fieldSelector?: string, fields?: Readonly<Record<string, string>>): Selector {
  return { labels: parseLabelSelector(labelSelector ?? ""), fields: parseFieldSelector(fieldSelector ?? "", fields) };
}

/** True when an internal object satisfies a selector. Pure. */
export function matchesSelector(sel: Selector, object: Record<string, unknown>): boolean {
  const labels = (object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  return matchesLabels(sel.labels, labels) && matchesFields(sel.fields, object);
}
