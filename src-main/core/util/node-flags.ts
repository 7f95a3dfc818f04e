/**
 * V8 flags for the Lifeboat processes that move backup data (the CLI, the agent, the service). V8 grows the young
 * generation to 16 MiB and more; while a backup streams hundreds of MB through short-lived buffers, that lets
 * garbage buffers pile up between collections. A 1 MiB young generation frees them almost at once: measured on a
 * 1 GB backup (bench/backup-vs-pgdump.ts), peak RSS 171 MB → 128 MB in the same time.
 * Every launcher uses this list: bin/lifeboat (a shell script, checked by test/unit/node-flags.test.ts), the
 * systemd unit, the Windows service and the desktop shell's agent.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
