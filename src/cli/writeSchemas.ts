/**
 * `npm run schemas` (or `coxctl schema`): writes the JSON Schemas of every kind's manifests to
 * docs/schemas/<kind>.<version>.json and the command catalog to docs/schemas/commands.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { jsonSchemas } from "../api/jsonSchemas.js";
import { commandCatalog } from "../actors/catalog.js";

const dir = process.argv[2] ?? join("docs", "schemas");
await mkdir(dir, { recursive: true });
const files: Record<string, unknown> = { ...jsonSchemas(), commands: commandCatalog() };
for (const [name, content] of Object.entries(files)) {
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(content, null, 2)}\n`);
  console.log(`wrote ${join(dir, `${name}.json`)}`);
}
