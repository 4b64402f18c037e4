import { describe, expect, it } from "vitest";
import { normalizeImageRef } from "../api/image.js";
import { imageIndex, resolveEntrypoint } from "./images.js";

const catalog = imageIndex([
  { image: "docker.io/mayankshah1607/leaderelection", command: ["node", "main.js"], args: ["--default"], workingDir: "examples/x", env: [{ name: "A", value: "1" }] },
]);

describe("normalizeImageRef", () => {
  it.each([
    ["nginx", "docker.io/library/nginx:latest"],
    ["nginx:1.9", "docker.io/library/nginx:1.9"],
    ["mayankshah1607/leaderelection", "docker.io/mayankshah1607/leaderelection:latest"],
    ["docker.io/mayankshah1607/leaderelection:latest", "docker.io/mayankshah1607/leaderelection:latest"],
    ["registry:5000/team/app", "registry:5000/team/app:latest"],
    ["localhost/app@sha256:abc", "localhost/app@sha256:abc"],
  ])("%s → %s", (ref, want) => expect(normalizeImageRef(ref)).toBe(want));
});

describe("resolveEntrypoint", () => {
  it("runs the image's entrypoint with the container's args in place of the image's", () => {
    expect(resolveEntrypoint({ image: "docker.io/mayankshah1607/leaderelection", args: ["--lease-name=my-lease"] }, catalog))
      .toEqual({ argv: ["node", "main.js", "--lease-name=my-lease"], workingDir: "examples/x", env: { A: "1" }, image: "docker.io/mayankshah1607/leaderelection:latest" });
    expect(resolveEntrypoint({ image: "mayankshah1607/leaderelection:latest" }, catalog)).toMatchObject({ argv: ["node", "main.js", "--default"] });
  });
  it("a container's command replaces the entrypoint and drops the image's args", () => {
    expect(resolveEntrypoint({ image: "mayankshah1607/leaderelection", command: ["sh", "-c", "true"] }, catalog)).toMatchObject({ argv: ["sh", "-c", "true"] });
  });
  it("an image the catalog lacks: its command runs on the host; without one, ErrImagePull's message", () => {
    expect(resolveEntrypoint({ image: "busybox", command: ["sleep"], args: ["1"] }, catalog)).toEqual({ argv: ["sleep", "1"], env: {} });
    expect(resolveEntrypoint({ image: "busybox" }, catalog)).toEqual({ pullError: expect.stringMatching(/^image "docker.io\/library\/busybox:latest" is not in the image catalog/) });
  });
});
