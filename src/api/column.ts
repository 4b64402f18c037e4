/** One table column and the formatting rules shared by every kind's columns (ages, label lists). Pure. */

/** What a cell holds: Kubernetes Tables carry strings and integers. */
export type CellValue = string | number;

/** A column of a kind's table: its Kubernetes column definition and how to draw one object's cell. */
export interface Column<T> {
  /** As Kubernetes names it (`Name`, `Nominated Node`); kubectl prints it upper-case. */
  name: string;
  type: "string" | "integer" | "date" | "boolean";
  /** `name` for the column that holds the object's name. */
  format?: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: number;
  description: string;
  cell(object: T, now: Date): CellValue;
}

/** A column (the type parameter is erased so that a kind's columns fit one registry). Pure. */
export function column<T>(name: string, type: Column<T>["type"], priority: number, description: string, cell: (o: T, now: Date) => CellValue, format?: string): Column<never> {
  return { name, type, priority, description, cell, ...(format ? { format } : {}) } as Column<T> as unknown as Column<never>;
}

/** A duration as kubectl's AGE column shows it: `45s`, `3m12s`, `17m`, `5h3m`, `20h`, `3d4h`, `12d`, `2y`. Pure. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The age of an RFC 3339 timestamp at `now`, or `<unknown>`. Pure. */
export function ageOf(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== "string") return "<unknown>";
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? "<unknown>" : formatAge(now.getTime() - t);
}

/** `app=web,tier=front`, or `<none>`. Pure. */
export function labelString(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? "<none>" : entries.map(([k, v]) => `${k}=${v}`).join(",");
}

/** The Age column every kind ends with. Pure. */
export function ageColumn(): Column<never> {
  return column<{ metadata: { creationTimestamp?: string } }>("Age", "string", 0,
    "CreationTimestamp is a timestamp representing the server time when this object was created.", (o, now) => ageOf(o.metadata.creationTimestamp, now));
}

/** A `Created At` column (RFC 3339), what kube-apiserver prints for kinds without an Age (roles, limit ranges). Pure. */
export function createdAtColumn(description: string): Column<never> {
  return column<{ metadata: { creationTimestamp?: string } }>("Created At", "date", 0, description, (o) => o.metadata.creationTimestamp ?? "");
}

/** The Name column every kind starts with. Pure. */
export function nameColumn(): Column<never> {
  return column<{ metadata: { name: string } }>("Name", "string", 0, "Name must be unique within a namespace.", (o) => o.metadata.name, "name");
}
