/** Writes the JSON Schemas of every kind's manifests to docs/schemas/<kind>.<version>.json (`npm run schemas`). */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { jsonSchemas } from "../api/jsonSchemas.js";

const dir = process.argv[2] ?? join("docs", "schemas");
await mkdir(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${join(dir, `${name}.json`)}`);
}
