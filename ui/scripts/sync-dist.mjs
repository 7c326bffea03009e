// Copies a fresh Vite build into dist/, touching only files whose bytes changed and removing files
// that are gone. Cargo re-embeds the UI (and recompiles ladder-app) when a file in ui/dist changes
// its modification time; Vite rewrites every file on every build, so without this step each
// `npm run build` would cost a Rust rebuild even when the UI did not change.
//
// Usage: node scripts/sync-dist.mjs <staging dir> <dist dir>

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: sync-dist.mjs <staging dir> <dist dir>');
  process.exit(2);
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(dir, path));
}

const fresh = new Set(files(from));
let changed = 0;
for (const name of fresh) {
  const src = readFileSync(join(from, name));
  const dest = join(to, name);
  if (existsSync(dest) && readFileSync(dest).equals(src)) continue;
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(dest, src);
  changed += 1;
}
let removed = 0;
for (const name of files(to)) {
  if (!fresh.has(name)) {
    rmSync(join(to, name));
    removed += 1;
  }
}
rmSync(from, { recursive: true, force: true });
console.log(`sync-dist: ${changed} file(s) updated, ${removed} removed, ${fresh.size - changed} unchanged`);
