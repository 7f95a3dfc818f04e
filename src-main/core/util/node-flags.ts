/**
 * V8 flags for the Lifeboat processes that move backup data (the CLI, the agent, the service).
 * - A 1 MiB young generation: V8 grows it to 16 MiB and more, and while a backup streams hundreds of MB through
 *   short-lived buffers, garbage buffers pile up between collections; at 1 MiB they are freed almost at once.
 *   Measured on a 1 GB backup (bench/backup-vs-pgdump.ts): peak RSS 171 MB → 128 MB in the same time.
 * - A 64 MiB initial old generation: with the whole application loaded the old generation holds about 16 MB, and
 *   V8's starting limit sits so close above it that, in most runs, it marked and compacted the heap some thirty
 *   times during one backup, each freeing well under 1 MB. That cost about 0.7 CPU-seconds on a 1 GB backup
 *   (on a 2-core machine, half a second of the backup's time); with the larger start it runs no full collection
 *   at all, and peak RSS stays at about 140 MB.
 * Every launcher uses this list: bin/lifeboat (a shell script, checked by test/unit/node-flags.test.ts), the
 * systemd unit, the Windows service and the desktop shell's agent.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--initial-old-space-size=64'];
