// Bundles what Electron runs: the main process (ESM), the sandboxed preload (one CommonJS file, as
// sandboxed preloads cannot import), and the CLI the desktop app starts as its agent child. Our TypeScript is
// compiled in; npm packages stay external (electron-builder ships them), except the plain JavaScript ones every
// command loads (INLINED).
// Run: node build/build-shell.ts   (npm start runs it)
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
// Loaded by every CLI command and the agent: from node_modules that is over 150 ES modules (zod alone is 95
// files, 850 KB), each resolved, read and compiled on its own; bundled, only what is used is compiled, in a few
// chunks. 'lifeboat job list' 500 → 390 ms. Native or lazily loaded packages stay external.
const INLINED = ['zod', '@trpc/server', '@trpc/client', 'commander', 'croner', '@scure/base', 'age-encryption', '@noble/hashes', '@noble/curves', '@noble/ciphers', '@noble/post-quantum'];
const inlined = (id: string) => INLINED.some((p) => id === p || id.startsWith(`${p}/`));
const isPackage = (id: string) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0') && !inlined(id);

async function bundle(entry: string, outDir: string, fileName: string, format: 'es' | 'cjs'): Promise<void> {
  await build({
    configFile: false, root: ROOT, logLevel: 'warn', ssr: { noExternal: INLINED },
    build: {
      ssr: path.join(ROOT, entry), outDir: path.join(ROOT, outDir), emptyOutDir: false, target: 'node22', minify: false, sourcemap: false,
      rollupOptions: { external: isPackage, output: { format, entryFileNames: fileName } },
    },
  });
}

// Chunk names carry content hashes: without emptying, every build would leave the previous chunks beside the
// new ones, and electron-builder would ship them all. Each folder is emptied once, as two bundles share dist/shell.
for (const dir of ['dist/shell', 'dist/cli']) fs.rmSync(path.join(ROOT, dir), { recursive: true, force: true });
await bundle('src-main/shell/main.ts', 'dist/shell', 'main.js', 'es');
await bundle('src-main/shell/preload.ts', 'dist/shell', 'preload.cjs', 'cjs');
await bundle('src-main/cli/main.ts', 'dist/cli', 'main.js', 'es');
console.log('shell, preload and agent CLI bundled into dist/');
