/**
 * The Node line is said in one way everywhere: engines, the `node` dev dependency the npm scripts run on, the Node
 * types the code is checked against, and the README's first lines; and the tests themselves run on it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
/** The first number of a version range such as ">=22.12.0" or "^22.23.3". */
const major = (range: string | undefined) => Number(/(\d+)/.exec(range ?? "")?.[1]);

describe("the Node line", () => {
  const line = major(pkg.engines.node);

  it("is one line in engines, the node dev dependency, @types/node and the README", () => {
    expect(line).toBeGreaterThanOrEqual(22);
    expect(major(pkg.devDependencies.node)).toBe(line);
    expect(major(pkg.devDependencies["@types/node"])).toBe(line);
    expect(pkg.allowScripts?.node).toBe(true); // the package's preinstall fetches the binary
    const opening = readFileSync(join(ROOT, "README.md"), "utf8").split("\n").slice(0, 8).join("\n");
    expect(opening).toContain(`Node.js ${line} LTS`);
  });

  it("is the Node the tests run on (npm scripts find node_modules/.bin/node first)", () => {
    const [want, have] = [pkg.engines.node.replace(/^>=\s*/, "").split(".").map(Number), process.versions.node.split(".").map(Number)];
    expect(have[0]).toBe(line);
    expect(have[1]! * 1000 + have[2]!).toBeGreaterThanOrEqual((want[1] ?? 0) * 1000 + (want[2] ?? 0));
  });
});
