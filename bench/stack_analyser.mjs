// Run @specfy/stack-analyser's own API on one folder for bench/recall.py.
//
// Usage: node bench/stack_analyser.mjs INSTALL_DIR REPOSITORY OUTPUT
// Writes {"analysis": <Payload.toJson()>, "names": {key: human name}} to OUTPUT, a file
// rather than stdout, where the package's logger (consola) prints. INSTALL_DIR is the npm
// prefix it was installed into; the package is imported by path because this script lives
// outside that folder's node_modules.
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [installDir, repository, output] = process.argv.slice(2);
const dist = path.join(path.resolve(installDir), 'node_modules', '@specfy', 'stack-analyser', 'dist');
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);

const { analyser, FSProvider, tech } = await load('index.js');
// Without the autoload no rule is registered and nothing is detected (see its README).
await load('autoload.js');

const root = path.resolve(repository);
// The same provider options as its CLI: nothing ignored beyond its built-in list.
const result = await analyser({ provider: new FSProvider({ path: root, ignorePaths: [] }) });
const names = Object.fromEntries(tech.list.map((item) => [item.key, item.name]));
await fs.writeFile(output, JSON.stringify({ analysis: result.toJson(root), names }));
