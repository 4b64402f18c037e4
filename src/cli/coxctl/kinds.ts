/** Kind names as a user types them: plural, singular or short (`pods`, `pod`, `po`), case-insensitive, like kubectl. */
import { RESOURCE_INFO, RESOURCES, type Resource } from "../../api/kinds.js";
import { CoxctlError } from "./errors.js";

/** The resource a name denotes (also the Kind itself, `Pod`), or undefined. Pure. */
export function findResource(name: string): Resource | undefined {
  const n = name.toLowerCase();
  return RESOURCES.find((r) => {
    const info = RESOURCE_INFO[r];
    return r === n || info.singular === n || info.shortNames.includes(n) || (info.legacyNames ?? []).includes(n) || info.kind.toLowerCase() === n;
  });
}

/** The resource a name denotes; an unknown name is a NotFound StatusError worded as kubectl's. Pure. */
export function resolveResource(name: string): Resource {
  const r = findResource(name);
  if (!r) throw new CoxctlError(`the server doesn't have a resource type "${name}"`);
  return r;
}

/** Splits `pod/web` into a resource and a name; a plain `pod` gives no name. Pure. */
export function resolveTypeAndName(arg: string, name?: string): { resource: Resource; name: string | undefined } {
  const slash = arg.indexOf("/");
  if (slash < 0) return { resource: resolveResource(arg), name };
  return { resource: resolveResource(arg.slice(0, slash)), name: arg.slice(slash + 1) || undefined };
}

/** The singular lowercase name kubectl prints (`pod/web created`). Pure. */
export function singularOf(resource: Resource): string {
  return RESOURCE_INFO[resource].singular;
}
