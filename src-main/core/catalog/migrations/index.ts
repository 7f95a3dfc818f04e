import { sql as m001 } from './001-core.ts';
import { sql as m003 } from './003-media.ts';
import { sql as m004 } from './004-agent.ts';
import { sql as m005 } from './005-audit.ts';

/**
 * Numbered migrations, applied in order at open inside one transaction each; user_version records the
 * last applied. A migration is never edited once released: add the next number instead.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'core', sql: m001 },
  { version: 3, name: 'media', sql: m003 },
  { version: 4, name: 'agent', sql: m004 },
  { version: 5, name: 'audit', sql: m005 },
];
