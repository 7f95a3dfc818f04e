import type { Cell, Column } from './tokens.ts';
import type { SqlMessage } from './errors.ts';

/** What executing a request produces, in order: result sets, messages, and pauses (STATS pacing). */
export type Out =
  | { kind: 'rows'; columns: Column[]; rows: Cell[][] }
  | { kind: 'info'; number: number; message: string }
  | { kind: 'error'; number: number; class: number; state?: number; message: string }
  | { kind: 'delay'; ms: number };

export const errors = (list: SqlMessage[]): Out[] => list.map((m) => ({ kind: 'error', ...m }));
export const info = (number: number, message: string): Out => ({ kind: 'info', number, message });
export const col = (name: string, type: Column['type']): Column => ({ name, type });
