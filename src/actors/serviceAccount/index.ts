/** ServiceAccount actor (v1): a plain object; its tokens are signed by the API, not stored. */
import { serviceAccountCodec } from "../../api/serviceAccount.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The ServiceAccount's registration. */
export const serviceAccountKind = plainObjectKind(plainObjectDecider({ resource: "serviceaccounts", kind: "ServiceAccount", clusterScoped: false }), serviceAccountCodec);
