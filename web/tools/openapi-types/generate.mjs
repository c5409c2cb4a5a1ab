// Writes src/api/schema.d.ts, the API's types, from the OpenAPI document the server serves
// (`tinhso openapi` prints it without a server), with openapi-typescript. The web code reads the
// API through these types (src/lib/api.ts), so a change of the contract that the UI does not
// follow fails `tsc`. The file is generated at build time, not committed; it is rewritten only
// when its text changes, so an unchanged document does not make the build run again.
//
// Usage: node tools/openapi-types/generate.mjs [path/to/tinhso]   (default: TINHSO_BINARY, else
// ../build/tinhso from web/)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = path.resolve(WEB, process.argv[2] || process.env.TINHSO_BINARY || '../build/tinhso');
const out = path.join(WEB, 'src', 'api', 'schema.d.ts');

if (!fs.existsSync(binary)) {
  console.error(`web: ${binary} is missing: build the server first (make build), or name it (TINHSO_BINARY)`);
  process.exit(1);
}
const run = spawnSync(binary, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (run.status !== 0) {
  console.error(`web: ${binary} openapi failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
const doc = JSON.parse(run.stdout);
const ast = await openapiTS(doc, { silent: true });
const text =
  `// Generated from \`tinhso openapi\` by web/tools/openapi-types/generate.mjs (openapi-typescript)\n` +
  `// at build time; not committed, do not edit. API ${doc.info?.version ?? ''}\n\n` +
  astToString(ast);
const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
if (old !== text) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`web: ${path.relative(WEB, out)} written (${Object.keys(doc.paths).length} paths)`);
}
