/** Image actor (coxswain.io/v1): the image catalog's entries, plain cluster-scoped objects. */
import { imageCodec } from "../../api/image.js";
import { plainObjectDecider } from "../plainObject/decider.js";

/** The Image's registration. */
export const imageKind = { decider: plainObjectDecider({ resource: "images", kind: "Image", clusterScoped: true }), codec: imageCodec };
