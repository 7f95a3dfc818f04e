// The test harness's PostgreSQL is the same throwaway cluster the demo uses: one implementation.
export { startPostgres, pgBinDir, type PgServer } from '../../src-main/core/demo/throwaway-postgres.ts';
