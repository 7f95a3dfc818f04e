import { beforeEach, describe, expect, it, vi } from 'vitest';

// Acceptance 5 (issue 6): the real preload file, loaded with Electron's two objects replaced by spies,
// exposes exactly two functions on one key, and they reach only their fixed channels.
const exposed: { key: string; api: Record<string, unknown> }[] = [];
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => { exposed.push({ key, api }); } },
  ipcRenderer: {
    invoke: (...args: unknown[]) => { invoked.push(args); return Promise.resolve(args[0] === 'lifeboat:get-agent' ? { url: 'http://127.0.0.1:1/trpc', token: 't' } : null); },
    send: () => { throw new Error('the preload must not use send'); },
    on: () => { throw new Error('the preload must not listen'); },
  },
}));

describe('the preload', () => {
  beforeEach(async () => {
    exposed.length = 0;
    invoked.length = 0;
    vi.resetModules();
    await import('../../src-main/shell/preload.ts');
  });

  it('exposes only getAgent and pickFolder on window.lifeboat', () => {
    expect(exposed.map((e) => e.key)).toEqual(['lifeboat']);
    const api = exposed[0]!.api;
    expect(Object.keys(api).sort()).toEqual(['getAgent', 'pickFolder']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(JSON.stringify(Object.values(api).map(String))).not.toContain('ipcRenderer.send');
  });

  it('calls fixed channels and passes nothing from the page through', async () => {
    const api = exposed[0]!.api as { getAgent(...a: unknown[]): Promise<unknown>; pickFolder(...a: unknown[]): Promise<unknown> };
    await expect(api.getAgent('lifeboat:quit', { evil: true })).resolves.toEqual({ url: 'http://127.0.0.1:1/trpc', token: 't' });
    await api.pickFolder('/etc');
    expect(invoked).toEqual([['lifeboat:get-agent'], ['lifeboat:pick-folder']]);
  });
});
