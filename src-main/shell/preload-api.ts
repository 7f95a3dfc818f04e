/** The only IPC channels the window may use; the main process answers nothing else. */
export const PRELOAD_CHANNELS = {
  getAgent: 'lifeboat:get-agent',
  pickFolder: 'lifeboat:pick-folder',
} as const;

export interface PreloadApi {
  /** Where the agent listens and the token it wants. */
  getAgent(): Promise<{ url: string; token: string }>;
  /** A native folder picker; null when cancelled. */
  pickFolder(): Promise<string | null>;
}

/**
 * What the preload puts on window.lifeboat: two functions that call fixed channels. ipcRenderer itself is
 * never handed over, so the page cannot reach any other channel, and no argument from the page reaches
 * the main process.
 */
export function preloadApi(invoke: (channel: string) => Promise<unknown>): PreloadApi {
  return Object.freeze({
    getAgent: () => invoke(PRELOAD_CHANNELS.getAgent) as Promise<{ url: string; token: string }>,
    pickFolder: () => invoke(PRELOAD_CHANNELS.pickFolder) as Promise<string | null>,
  });
}
