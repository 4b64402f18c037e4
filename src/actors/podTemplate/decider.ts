/** The PodTemplate decider: pure decide/evolve for CreatePodTemplate, UpdatePodTemplate and DeletePodTemplate. */
import { z } from "zod";
import type { PodTemplate, PodTemplateManifest } from "../../api/podTemplate.js";
import { dropUndefined } from "../../api/objectMeta.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, newObjectMeta, requireAbsent, requireExisting, sameValue, unknownCommand, objectStateView, unknownEvent } from "../decisions.js";

/** State: the pod template while it exists. */
export interface PodTemplateState {
  object: PodTemplate | null;
}

/** Commands a pod template accepts. */
export type PodTemplateCommand =
  | Command<"CreatePodTemplate", PodTemplateManifest>
  | Command<"UpdatePodTemplate", PodTemplateManifest>
  | Command<"DeletePodTemplate", DeleteOptions>;

/** What an update replaces, whole. */
export interface PodTemplateChange {
  template: PodTemplate["template"];
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** Events a pod template records. */
export type PodTemplateEvent =
  | RecordedEvent<"PodTemplateCreated", { object: PodTemplate }>
  | RecordedEvent<"PodTemplateUpdated", PodTemplateChange>
  | RecordedEvent<"PodTemplateDeleted", Record<string, never>>;

const RESOURCE = "podtemplates";

/** The pod template decider. Pure. An update that changes nothing records nothing. */
export const podTemplateDecider: Decider<PodTemplateState, PodTemplateCommand, PodTemplateEvent> = {
  resource: RESOURCE,
  commands: {
    CreatePodTemplate: { schema: z.unknown(), senders: ["user"], manifest: true },
    UpdatePodTemplate: { schema: z.unknown(), senders: ["user"], manifest: true },
    DeletePodTemplate: { schema: DeleteOptions, senders: ["user", "controller"] },
  },
  initialState: { object: null },

  decide(command, state) {
    const name = command.meta.name;
    switch (command.type) {
      case "CreatePodTemplate": {
        requireAbsent(state.object, RESOURCE, name);
        const object: PodTemplate = {
          kind: "PodTemplate", metadata: newObjectMeta(command.data.metadata, command.meta, false), template: command.data.template,
        };
        return [{ type: "PodTemplateCreated", data: { object } }];
      }
      case "UpdatePodTemplate": {
        const current = requireExisting(state.object, RESOURCE, name);
        const { labels, annotations } = command.data.metadata;
        const change = dropUndefined({ template: command.data.template, labels, annotations });
        const before = dropUndefined({ template: current.template, labels: current.metadata.labels, annotations: current.metadata.annotations });
        return sameValue(change, before) ? [] : [{ type: "PodTemplateUpdated", data: change }];
      }
      case "DeletePodTemplate":
        requireExisting(state.object, RESOURCE, name);
        return [{ type: "PodTemplateDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "PodTemplateCreated":
        return { object: event.data.object };
      case "PodTemplateUpdated": {
        if (!state.object) return state;
        const { template, labels, annotations } = event.data;
        const metadata = dropUndefined({ ...state.object.metadata, labels, annotations });
        return { object: { ...state.object, metadata, template } };
      }
      case "PodTemplateDeleted":
        return { object: null };
      default:
        return unknownEvent(event, state);
    }
  },

  ...objectStateView(),
};
