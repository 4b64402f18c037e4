/** v1 ServiceAccount: an identity for the processes of pods; its token authenticates them to the API. */
import { z } from "zod";
import { groupKindCodec } from "./groupKind.js";

const LocalObjectReference = z.looseObject({ name: z.string().optional() });

/** The ServiceAccount codec and schemas. */
export const serviceAccount = groupKindCodec({
  resource: "serviceaccounts", kind: "ServiceAccount", apiVersion: "v1", clusterScoped: false,
  fields: {
    secrets: z.array(z.looseObject({ name: z.string().optional(), namespace: z.string().optional() })).optional(),
    imagePullSecrets: z.array(LocalObjectReference).optional(),
    automountServiceAccountToken: z.boolean().optional(),
  },
});
export const serviceAccountCodec = serviceAccount.codec;
