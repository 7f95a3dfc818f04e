import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../src-main/api/router.ts';
import { FetchEventSource } from './fetch-event-source.ts';

/**
 * The renderer's one way to the agent. The address and token come from the Electron preload
 * (window.lifeboat) or, under `lifeboat serve`, from the page's own origin and the #token= fragment,
 * which is moved to sessionStorage and removed from the address bar at once.
 */
export type Api = TRPCClient<AppRouter>;

interface PreloadBridge { getAgent(): Promise<{ url: string; token: string }>; pickFolder(): Promise<string | null> }

declare global {
  interface Window { lifeboat?: PreloadBridge }
}

const TOKEN_KEY = 'lifeboat.token';

export async function agentAddress(): Promise<{ url: string; token: string } | null> {
  if (window.lifeboat) return window.lifeboat.getAgent();
  const m = window.location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', window.location.pathname + '#/dashboard');
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { url: `${window.location.origin}/trpc`, token } : null;
}

export function createApi(addr: { url: string; token: string }): Api {
  const headers = { authorization: `Bearer ${addr.token}` };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: addr.url, EventSource: FetchEventSource as unknown as typeof EventSource, eventSourceOptions: () => ({ headers }) as EventSourceInit }),
        false: httpLink({ url: addr.url, headers }),
      }),
    ],
  });
}

/** A folder picker where the desktop shell offers one; in a browser the operator types the path. */
export function folderPicker(): (() => Promise<string | null>) | null {
  return window.lifeboat ? () => window.lifeboat!.pickFolder() : null;
}

export interface ApiProblem { code: string; message: string; nextStep: string }

// What to do next when the agent gave no hint of its own.
const NEXT_STEPS: Record<string, string> = {
  USAGE: 'Correct the highlighted fields and try again.',
  NOT_FOUND: 'Reload the page; the item may have been removed.',
  ALREADY_EXISTS: 'Choose another name.',
  CONFIG_INVALID: 'Check the settings of this item and save them again.',
  CONFIRMATION_REQUIRED: 'Confirm the action explicitly to go on.',
  UNAUTHORIZED: 'Reopen Lifeboat from the tray or from the address "lifeboat serve" printed.',
  BUSY: 'Wait for the running job to finish, then try again.',
  SOURCE_UNREACHABLE: 'Check that the database server is running and reachable from this machine (host, port, firewall).',
  SOURCE_AUTH_FAILED: 'Check the user name and password of the source.',
  DATABASE_MISSING: 'Check the database name on the server.',
  TOOL_MISSING: 'Install the PostgreSQL client tools (pg_dump, pg_restore) on this machine.',
  TOOL_TOO_OLD: 'Install client tools of the server\u2019s major version or newer.',
  CHAIN_BROKEN: 'Choose a point covered by the chain, or take a new full backup.',
  TARGET_MISSING: 'Check that the folder or disk exists and is connected.',
  TARGET_NOT_WRITABLE: 'Give the Lifeboat agent write permission on the target folder.',
  TARGET_FULL: 'Free space on the target or lower the retention.',
  TARGET_UNREACHABLE: 'Check the network path to the target and try again.',
  TARGET_AUTH_FAILED: 'Check the target\u2019s user name and password.',
  HOST_KEY_UNKNOWN: 'Compare the fingerprint with the server\u2019s, then approve it.',
  HOST_KEY_CHANGED: 'Stop: ask the server\u2019s administrator whether its key really changed before approving the new one.',
  MEDIA_ABSENT: 'Connect a disk of the rotation set.',
  VERIFY_MISMATCH: 'Do not rely on this copy: restore from another target and take a new backup.',
  INTEGRITY_GATE: 'Restore from another copy or an earlier set; run "Verify now" on the Backups page.',
  PROBE_MISMATCH: 'Inspect the restored database before using it; the backup may be incomplete.',
  DECRYPT_FAILED: 'Enter the passphrase of this job.',
  CATALOG_LOCKED: 'Another Lifeboat process is running; close it or use it instead.',
  INTERRUPTED: 'Run it again.',
  NOTIFY_FAILED: 'Check the mail relay settings and send a test message.',
  AGENT_NOT_RUNNING: 'Start the Lifeboat agent (service) and reopen this window.',
};

export function nextStepFor(code: string | null | undefined): string {
  return (code && NEXT_STEPS[code]) || 'Try again; if it keeps failing, send the Activity page\u2019s details to your administrator.';
}

/** Any thrown value as code, message and the next step, in the words the agent used. */
export function problemOf(err: unknown): ApiProblem {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as { code?: string; hint?: string };
    const code = data.code ?? 'INTERNAL';
    return { code, message: err.message, nextStep: data.hint ?? nextStepFor(code) };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/fetch|network/i.test(message)) return { code: 'AGENT_NOT_RUNNING', message: `the Lifeboat agent did not answer: ${message}`, nextStep: nextStepFor('AGENT_NOT_RUNNING') };
  return { code: 'INTERNAL', message, nextStep: nextStepFor('INTERNAL') };
}
