import { contextBridge, ipcRenderer } from 'electron';
import { preloadApi } from './preload-api.ts';

// Sandboxed preload: bundled into one CommonJS file by build/build-shell.ts.
contextBridge.exposeInMainWorld('lifeboat', preloadApi((channel) => ipcRenderer.invoke(channel)));
