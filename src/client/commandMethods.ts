/**
 * The methods of a kind's client, named after its commands: the command's name without the Kind, first letter
 * lowercase (`ScaleReplicationController` → `scale`, `BindPod` → `bind`, `ContainerStarted` → `containerStarted`).
 * The names and signatures are derived from the registered deciders, so a new command or kind needs no code here.
 */
import type { CommandData, CommandType, EventType, KindName, KindOf, ManifestOf, ObjectOf } from "./types.js";

/** Per-command options: the idempotency id (generated when absent), an optimistic version check, a fencing term. */
export interface SendOptions {
  /** The idempotency key; a retry with the same id appends nothing twice. Generated when absent. */
  id?: string;
  /** Apply only if the entity is at this version (`0`: does not exist yet); otherwise `Conflict`. */
  expectedVersion?: number;
  /** The fencing term of a leader-elected sender. */
  term?: number;
}

/** What an accepted command returns: the object after it (null once deleted), its version and resourceVersion. */
export interface CommandResult<R extends KindName> {
  object: ObjectOf<R> | null;
  /** The entity's event count (1, 2, 3, … with no gaps). */
  version: number;
  /** The stream sequence of the entity's latest event. */
  resourceVersion: string;
  /** The events the command recorded (empty when it changed nothing). */
  events: EventType<R>[];
  /** The command id that was used (given or generated). */
  id: string;
}

/** `ScaleReplicationController` without its Kind, uncapitalized: `scale`. */
export type MethodName<T extends string, K extends string> = Uncapitalize<T extends `${infer A}${K}${infer B}` ? `${A}${B}` : T>;

/** The method name of a command of a kind, as the type `MethodName` computes it. Pure. */
export function methodName(command: string, kind: string): string {
  const bare = command.replace(kind, "");
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

type RequiredKeys<D> = { [K in keyof D]-?: object extends Pick<D, K> ? never : K }[keyof D];
type OnlyKey<D> = keyof D extends infer K ? ([K] extends [RequiredKeys<D>] ? (IsUnion<K> extends true ? never : K) : never) : never;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** A command whose data has exactly one field, a required string, number or boolean, also takes that value alone. */
export type ShortData<D> = OnlyKey<D> extends infer K extends keyof D
  ? [K] extends [never] ? never : D[K] extends string | number | boolean ? D[K] : never
  : never;

/** The data argument (optional when every field is) and the options. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type DataArgs<D> = {} extends D ? [data?: D | ShortData<D>, options?: SendOptions] : [data: D | ShortData<D>, options?: SendOptions];

/** A command that takes a manifest (creates and updates): the name comes from `metadata.name`. */
export type ManifestMethod<R extends KindName> = (manifest: ManifestOf<R>, options?: SendOptions) => Promise<CommandResult<R>>;

/** A command addressed by name with its data. */
export type DataMethod<R extends KindName, D> = (name: string, ...args: DataArgs<D>) => Promise<CommandResult<R>>;

/** One method per command of the kind. */
export type CommandMethods<R extends KindName> = {
  [T in CommandType<R> as MethodName<T, KindOf<R>>]: CommandData<R, T> extends { metadata: { name: string } }
    ? ManifestMethod<R>
    : DataMethod<R, CommandData<R, T>>;
};
