import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The operator console. `base: './'` so the same build loads from file:// in Electron and from
// `lifeboat serve` on 127.0.0.1.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
