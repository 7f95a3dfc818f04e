import { create } from 'zustand';
import type { Api } from './api/client.ts';

export const PAGES = ['dashboard', 'sources', 'targets', 'jobs', 'backups', 'restore', 'activity', 'alerts', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export function pageFromHash(hash: string): Page {
  const p = hash.replace(/^#\/?/, '').split(/[/?]/)[0] as Page;
  return (PAGES as readonly string[]).includes(p) ? p : 'dashboard';
}

interface AppState {
  api: Api | null;
  connection: 'connecting' | 'connected' | 'lost' | 'no-token';
  page: Page;
  /** Bumped by every status event from the agent; pages reload their data when it changes. */
  tick: number;
  /** The database a page hands to the restore wizard ("Restore…" on the dashboard). */
  restoreDatabase: { server: string; database: string } | null;
  setApi(api: Api): void;
  setConnection(c: AppState['connection']): void;
  go(page: Page): void;
  bump(): void;
  startRestore(db: { server: string; database: string } | null): void;
}

export const useApp = create<AppState>((set) => ({
  api: null,
  connection: 'connecting',
  page: pageFromHash(typeof window === 'undefined' ? '' : window.location.hash),
  tick: 0,
  restoreDatabase: null,
  setApi: (api) => set({ api }),
  setConnection: (connection) => set({ connection }),
  go: (page) => {
    if (window.location.hash !== `#/${page}`) history.pushState(null, '', `#/${page}`);
    set({ page });
  },
  bump: () => set((s) => ({ tick: s.tick + 1 })),
  startRestore: (db) => {
    history.pushState(null, '', '#/restore');
    set({ restoreDatabase: db, page: 'restore' });
  },
}));

/** The connected client; pages render only once it exists. */
export function useApi(): Api {
  const api = useApp((s) => s.api);
  if (!api) throw new Error('the console is not connected to the agent yet');
  return api;
}
