/**
 * TokenRequest (authentication.k8s.io/v1, `POST …/serviceaccounts/{name}/token`, as `kubectl create token` sends it):
 * a signed token for an existing service account, with an expiry (an hour unless asked; at least 10 minutes, as
 * the apiserver requires), audiences (the API's own unless asked) and, when asked, bound to a pod of that account.
 * Nothing is stored and nothing is appended: the token carries the account's uid (and the pod's), and the API
 * refuses it once that account (or pod) is gone (src/gateway/serviceAccounts.ts). Pure over the read model: an
 * account created an instant ago may not be in this API's model yet (404 until it is).
 */
import { z } from "zod";
import { StatusError, invalidFromZod } from "../api/status.js";
import { serviceAccountOf } from "../api/podSpec.js";
import { issueServiceAccountToken, type ServiceAccountClaims } from "../auth/serviceAccountToken.js";
import { rfc3339Seconds } from "../events/envelope.js";
import type { ReadModel } from "../projections/readModel.js";
import type { SubresourceCreate } from "./gateway.js";

/** The audience of this cluster's API, which its tokens carry unless asked for others (as a kubeadm cluster's). */
export const API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";

const KIND = "TokenRequest.authentication.k8s.io";
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

const TokenRequestBody = z.object({
  apiVersion: z.literal("authentication.k8s.io/v1").optional(),
  kind: z.literal("TokenRequest").optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  spec: z.strictObject({
    audiences: z.array(z.string().min(1)).nullish(),
    expirationSeconds: z.number().int().nullish(),
    boundObjectRef: z.strictObject({ kind: z.string().optional(), apiVersion: z.string().optional(), name: z.string().optional(), uid: z.string().optional() }).nullish(),
  }).nullish(),
  status: z.unknown().optional(),
});

type Named = { metadata: { name: string; uid: string }; spec?: { serviceAccountName?: string; serviceAccount?: string } };

/** The TokenRequest answered: its spec as defaulted and the token in its status. Throws a Kubernetes Status. */
export function requestToken(key: Buffer, model: Pick<ReadModel, "get">, namespace: string, name: string, body: unknown, now: Date): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new StatusError("BadRequest", "the request body must be a TokenRequest object");
  const parsed = TokenRequestBody.safeParse(body);
  if (!parsed.success) throw invalidFromZod(parsed.error, { kind: KIND, name });
  const spec = parsed.data.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  const tooShort = expirationSeconds < MIN_SECONDS;
  if (tooShort || expirationSeconds > MAX_SECONDS) {
    const message = `Invalid value: ${expirationSeconds}: may not specify a duration ${tooShort ? "less than 10 minutes" : "larger than 2^32 seconds"}`;
    throw new StatusError("Invalid", `${KIND} "${name}" is invalid: spec.expirationSeconds: ${message}`, { kind: KIND, name, causes: [{ field: "spec.expirationSeconds", message }] });
  }
  const account = model.get("serviceaccounts", namespace, name)?.object as Named | undefined;
  if (!account) throw new StatusError("NotFound", `serviceaccounts "${name}" not found`, { kind: "serviceaccounts", name });
  const pod = spec.boundObjectRef ? boundPod(model, namespace, name, spec.boundObjectRef) : undefined;
  const issuedAt = Math.floor(now.getTime() / 1000);
  const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : [API_AUDIENCE];
  const claims: ServiceAccountClaims = { namespace, name, uid: account.metadata.uid, audiences, expiresAt: issuedAt + expirationSeconds, ...(pod ? { pod } : {}) };
  const boundObjectRef = pod ? { kind: "Pod", apiVersion: "v1", name: pod.name, uid: pod.uid } : null;
  return {
    kind: "TokenRequest", apiVersion: "authentication.k8s.io/v1",
    metadata: { name, namespace, creationTimestamp: rfc3339(issuedAt) },
    spec: { audiences, expirationSeconds, boundObjectRef },
    status: { token: issueServiceAccountToken(key, claims, issuedAt), expirationTimestamp: rfc3339(issuedAt + expirationSeconds) },
  };
}

/** The pod a token is to be bound to: it exists, has the uid asked for, and runs as the account. */
function boundPod(model: Pick<ReadModel, "get">, namespace: string, account: string, ref: { kind?: string | undefined; name?: string | undefined; uid?: string | undefined }): { name: string; uid: string } {
  if (ref.kind !== "Pod") throw new StatusError("BadRequest", `cannot bind token for object of kind "${ref.kind ?? ""}": only a Pod is supported here`);
  const pod = model.get("pods", namespace, ref.name ?? "")?.object as Named | undefined;
  if (!pod) throw new StatusError("NotFound", `pods "${ref.name ?? ""}" not found`, { kind: "pods", name: ref.name ?? "" });
  if (ref.uid && ref.uid !== pod.metadata.uid) {
    throw new StatusError("Conflict", `Operation cannot be fulfilled on Pod "${pod.metadata.name}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`, { kind: "pods", name: pod.metadata.name });
  }
  if (serviceAccountOf(pod.spec ?? {}) !== account) {
    throw new StatusError("BadRequest", `cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`);
  }
  return { name: pod.metadata.name, uid: pod.metadata.uid };
}

/** The `serviceaccounts/token` subresource of the gateway, over `model` (`kubectl create token`). */
export function tokenRequests(key: Buffer, model: Pick<ReadModel, "get">): SubresourceCreate {
  return (route, body) => requestToken(key, model, route.namespace, route.name ?? "", body, new Date());
}

function rfc3339(seconds: number): string {
  return rfc3339Seconds(new Date(seconds * 1000));
}
