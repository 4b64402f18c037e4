/** `npm run diagrams`: writes every kind's lifecycle diagram (Mermaid, from its machine) to docs/lifecycles.md. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lifecyclesDocument } from "../actors/diagrams.js";
import { ACTOR_KINDS } from "../actors/registry.js";

const file = process.argv[2] ?? join("docs", "lifecycles.md");
await writeFile(file, lifecyclesDocument(ACTOR_KINDS));
console.log(`wrote ${file}`);
