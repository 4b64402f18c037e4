/** v1 ServiceAccount: an identity for the processes of pods; its token authenticates them to the API. */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
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

/** The ServiceAccount columns: NAME SECRETS AGE. */
export const serviceAccountColumns = [
  nameColumn(),
  column<{ secrets?: unknown[] }>("Secrets", "integer", 0, "The number of secrets of the service account.", (o) => o.secrets?.length ?? 0),
  ageColumn(),
];
