/** Image actor (coxswain.io/v1): the image catalog's entries, plain cluster-scoped objects. */
import { imageCodec } from "../../api/image.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The Image's registration. */
export const imageKind = plainObjectKind(plainObjectDecider({ resource: "images", kind: "Image", clusterScoped: true }), imageCodec);
