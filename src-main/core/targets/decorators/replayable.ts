import type { Readable } from 'node:stream';

const REPLAY = Symbol.for('lifeboat.replay');

/**
 * Marks a stream as re-creatable (a staged file, a buffer): a retrying target may then call the factory for
 * a fresh copy after a failed put. A plain stream cannot be replayed, so its put is never retried.
 */
export function replayable(factory: () => Readable): Readable {
  const first = factory();
  (first as unknown as Record<symbol, unknown>)[REPLAY] = factory;
  return first;
}

export function replayOf(stream: Readable): (() => Readable) | undefined {
  const f = (stream as unknown as Record<symbol, unknown>)[REPLAY];
  return typeof f === 'function' ? (f as () => Readable) : undefined;
}
