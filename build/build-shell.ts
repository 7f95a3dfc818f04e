// Bundles what Electron runs: the main process (ESM), the sandboxed preload (one CommonJS file, as
// sandboxed preloads cannot import), and the CLI the desktop app starts as its agent child. npm packages
// stay external (electron-builder ships them); our TypeScript is compiled in.
// Run: node build/build-shell.ts   (npm start runs it)
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const isPackage = (id: string) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0');

async function bundle(entry: string, outDir: string, fileName: string, format: 'es' | 'cjs'): Promise<void> {
  await build({
    configFile: false, root: ROOT, logLevel: 'warn',
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
