import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src-main/core/util/node-flags.ts';
import { renderWinswConfig } from '../../src-main/agent/service-unit.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('V8 flags of the data-moving processes', () => {
  it('bin/lifeboat starts Node with exactly the flags of node-flags.ts, and they are flags this Node accepts', () => {
    const script = fs.readFileSync(path.join(root, 'bin/lifeboat'), 'utf8');
    const launch = /node((?: --[\w-]+(?:=\S+)?)*) "\$here\/src-main\/cli\/main\.ts"/.exec(script);
    expect(launch, 'the node invocation in bin/lifeboat').not.toBeNull();
    expect(launch![1]!.trim().split(/\s+/)).toEqual([...NODE_FLAGS]);
    // An unknown or misspelt V8 flag makes Node refuse to start: prove these start it.
    expect(execFileSync(process.execPath, [...NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
  });

  it('so does `npm run lifeboat`', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.lifeboat).toBe(`sh scripts/with-node.sh node ${NODE_FLAGS.join(' ')} src-main/cli/main.ts`);
  });

  it('the Windows service passes them before the entry point', () => {
    const xml = renderWinswConfig({ home: 'C:\\ProgramData\\Lifeboat', node: 'node.exe', main: 'C:\\Lifeboat\\main.js', grace: 60, stopTimeout: 90 });
    expect(xml).toContain(`<arguments>${NODE_FLAGS.join(' ')} "C:\\Lifeboat\\main.js" agent`);
  });
});
