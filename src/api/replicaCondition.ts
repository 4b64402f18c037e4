/**
 * A condition of a ReplicaSet or ReplicationController (`ReplicaFailure`: its controller could not create or delete
 * pods, with the refusal's reason and message), as both kinds carry it in Kubernetes.
 */
import { z } from "zod";

export const ReplicaCondition = z.strictObject({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ReplicaCondition = z.infer<typeof ReplicaCondition>;
