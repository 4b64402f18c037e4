/**
 * Coxswain as a library, installed as an outside project installs it: `npm pack` (which builds dist/ in prepack),
 * the tarball installed into an empty folder and into a copy of examples/library-user, then each export imported
 * from JavaScript, type-checked from TypeScript, and the example's own tests run against a real cluster.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../harness/processes.js";

const run = promisify(execFile);
const TSC = join(ROOT, "node_modules/.bin/tsc");
const TYPE_ROOTS = join(ROOT, "node_modules/@types");
/** The environment of an outside project: nothing of this repository's cluster settings. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NATS_|COX_|LOG_LEVEL$)/.test(k)));
const EXPORTS = ["coxswain/client", "coxswain/events", "coxswain/testing"];

async function npm(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("npm", args, { cwd, env: ENV, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

describe("the packed package, installed by an outside project", () => {
  const work = mkdtempSync(join(tmpdir(), "cox-pack-"));
  const empty = join(work, "empty");
  const example = join(work, "example");
  let tarball = "";
  let files: string[] = [];

  beforeAll(async () => {
    const [packed] = JSON.parse(await npm(ROOT, "pack", "--json", "--pack-destination", work)) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed?.filename ?? "");
    files = packed?.files.map((f) => f.path) ?? [];
    cpSync(join(ROOT, "examples/library-user"), example, { recursive: true, filter: (src) => !/node_modules|\.tgz$|package-lock\.json$/.test(src) });
    cpSync(tarball, join(example, "coxswain-0.1.0.tgz"));
    mkdirSync(empty);
    writeFileSync(join(empty, "package.json"), JSON.stringify({ name: "empty", version: "1.0.0", private: true, type: "module" }));
    const install = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
    // The example's devDependencies come too: jest, so the test kit is run under jest as well as node:test.
    await Promise.all([npm(empty, ...install, tarball), npm(example, ...install)]);
  }, 240_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("packs what the exports and the bins need, and nothing of the tests or the sources", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, { types: string; import: string } | string> };
    for (const target of Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : [e.types, e.import]))) {
      expect(files).toContain(target.replace(/^\.\//, ""));
    }
    expect(files).toEqual(expect.arrayContaining(["bin/coxswain.js", "bin/coxctl.js", "bin/run.js", "dist/cli/coxswain.js", "dist/cli/coxctl.js", "infra/nats.conf"]));
    expect(files.filter((f) => /\.spec\.|^test\/|^src\/|^examples\//.test(f))).toEqual([]);
  });

  it("resolves each export from plain JavaScript, and nothing else of the inside", async () => {
    const script = `${EXPORTS.map((e, i) => `import * as m${i} from "${e}";`).join("\n")}
      console.log(JSON.stringify([${EXPORTS.map((_, i) => `Object.keys(m${i}).sort()`).join(",")}]));`;
    writeFileSync(join(empty, "check.mjs"), script);
    const { stdout } = await run(process.execPath, ["check.mjs"], { cwd: empty, env: ENV });
    const [client, events, testing] = JSON.parse(stdout) as string[][];
    expect(client).toEqual(expect.arrayContaining(["connectCluster", "CoxswainStatusError"]));
    expect(events).toEqual(["subscribe", "watch"]);
    expect(testing).toEqual(expect.arrayContaining(["given", "replay", "replayThroughActors", "loadLog"]));
    const deep = await run(process.execPath, ["--input-type=module", "-e", 'import "coxswain/dist/api/kinds.js"'], { cwd: empty, env: ENV }).catch((e: { stderr: string }) => e);
    expect(String((deep as { stderr: string }).stderr)).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
    const help = await run(join(empty, "node_modules/.bin/coxctl"), ["--help"], { cwd: empty, env: ENV });
    expect(help.stdout).toMatch(/coxctl controls a Coxswain cluster/);
  });

  it("type-checks from TypeScript against the shipped declarations: right calls pass, wrong ones fail", async () => {
    writeFileSync(join(empty, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: ["node"], typeRoots: [TYPE_ROOTS] },
      // One compiler run for both projects: each file resolves "coxswain" from its own project's node_modules.
      include: ["check.ts", "../example/src/typed.ts"],
    }));
    writeFileSync(join(empty, "check.ts"), `import { connectCluster } from "coxswain/client";
      import { subscribe } from "coxswain/events";
      import { given } from "coxswain/testing";
      export async function f() {
        const cluster = await connectCluster();
        await cluster.replicationControllers("default").scale("web", 5);
        for await (const e of subscribe(cluster, { kind: "pods" })) if (e.type === "PodBound") return e.data.nodeName;
        given([]).when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "x" } } }).then([{ type: "NamespaceCreated" }]);
        // @ts-expect-error pods have no scale command
        await cluster.pods("default").scale("web", 5);
        return undefined;
      }
    `);
    await run(TSC, ["-p", "."], { cwd: empty, env: ENV }).catch((e: { stdout: string }) => {
      throw new Error(`tsc found errors:\n${e.stdout}`);
    });
  }, 120_000);

  it("runs the example project's own tests: a real cluster it starts, and a recorded log", async () => {
    const { stdout } = await run("npm", ["test"], { cwd: example, env: ENV, timeout: 180_000 }).catch((e: { stdout: string; stderr: string }) => {
      throw new Error(`the example's tests failed:\n${e.stdout}\n${e.stderr}`);
    });
    expect(stdout).toMatch(/# pass 7\b/);
    expect(stdout).toMatch(/# fail 0\b/);
  }, 200_000);

  it("runs the test kit under jest too (the example's `npm run test:jest`)", async () => {
    const out = await run("npm", ["run", "test:jest"], { cwd: example, env: ENV, timeout: 120_000 }).catch((e: { stdout: string; stderr: string }) => {
      throw new Error(`the example's jest tests failed:\n${e.stdout}\n${e.stderr}`);
    });
    expect(`${out.stdout}${out.stderr}`).toMatch(/Tests:\s+2 passed, 2 total/);
  }, 150_000);
});
