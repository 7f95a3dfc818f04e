import { PassThrough, type Readable } from 'node:stream';

/**
 * Splits one stream into `n` branches for several targets at once. A branch whose consumer fails is
 * dropped and the others go on (one target failing does not fail the others); the source is read at the
 * pace of the slowest live branch, so memory stays bounded.
 */
export function tee(source: Readable, n: number): PassThrough[] {
  const branches = Array.from({ length: n }, () => new PassThrough({ highWaterMark: 1024 * 1024 }));
  const live = new Set(branches);
  let waiting = 0;
  const dropped = (b: PassThrough) => {
    if (!live.delete(b)) return;
    if (live.size === 0) source.destroy();
    else if (b.writableNeedDrain) onDrain();
  };
  const onDrain = () => {
    waiting = [...live].filter((b) => b.writableNeedDrain).length;
    if (waiting === 0) source.resume();
  };
  for (const b of branches) {
    b.on('drain', onDrain);
    b.on('close', () => { if (!b.writableFinished) dropped(b); });
    b.on('error', () => dropped(b));
  }
  source.on('data', (chunk: Buffer) => {
    let full = false;
    for (const b of live) if (!b.write(chunk)) full = true;
    if (full) source.pause();
  });
  source.on('end', () => { for (const b of live) b.end(); });
  source.on('error', (err) => { for (const b of branches) b.destroy(err); });
  return branches;
}
