/** The derived kinds the read model of the API serves (one registration line per kind). */
import type { DerivedProjectionFactory } from "./derived.js";
import { KubeEventFold } from "./kubeEvents/index.js";

/** Core v1 Events derived from the stream, bounded by Kubernetes' 1-hour TTL on stream time and a cap per namespace. */
export const API_DERIVED: readonly DerivedProjectionFactory[] = [() => new KubeEventFold()];
