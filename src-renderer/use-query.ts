import { useCallback, useEffect, useRef, useState } from 'react';
import { problemOf, type ApiProblem } from './api/client.ts';
import { useApp } from './store.ts';

export interface QueryState<T> { data: T | undefined; error: ApiProblem | null; loading: boolean; reload(): void }

/**
 * Loads data from the agent and reloads it when the agent reports a change (store tick) or `deps` change.
 * The previous data stays visible while reloading, so rows do not flicker under the operator's eyes.
 */
export function useQuery<T>(load: () => Promise<T>, deps: unknown[] = []): QueryState<T> {
  const tick = useApp((s) => s.tick);
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    load().then(
      (d) => { if (mine === seq.current) { setData(d); setError(null); setLoading(false); } },
      (e: unknown) => { if (mine === seq.current) { setError(problemOf(e)); setLoading(false); } },
    );
    // `load` is a new closure every render; `deps` says when it really changed.
  }, [tick, nonce, ...deps]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Runs one action at a time and keeps its error for display. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: ApiProblem | null; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiProblem | null>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (e) {
      setError(problemOf(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(null) };
}
