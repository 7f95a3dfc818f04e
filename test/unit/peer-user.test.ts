import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiActor, socketOwner } from '../../src-main/agent/peer-user.ts';
import { tempDir } from '../support/temp.ts';

// Rows as Linux prints them: the agent listens on 127.0.0.1:41000 (0xA028); a caller owned by uid 1001 connected
// from port 52000 (0xCB20); the agent's side of that connection and another user's idle socket are listed too.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:A028 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:CB20 0100007F:A028 01 00000000:00000000 00:00000000 00000000  1001        0 2222 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:A028 0100007F:CB20 01 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:CB21 0100007F:A028 06 00000000:00000000 03:00000000 00000000  1002        0 0 3 0000000000000000
`;

function fakeProc(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'net'));
  fs.writeFileSync(path.join(dir, 'net/tcp'), TCP);
  fs.writeFileSync(path.join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nanna:x:1001:1001:Anna Operator:/home/anna:/bin/bash\n');
  return dir;
}

describe('the account behind an API connection', () => {
  it('is the uid of the caller\'s own socket (its port to the agent\'s), not of the agent\'s side or a closed one', () => {
    expect(socketOwner(TCP, 0xcb20, 0xa028)).toBe(1001);
    expect(socketOwner(TCP, 0xa028, 0xcb20)).toBe(0);
    expect(socketOwner(TCP, 0xcb21, 0xa028)).toBeNull(); // TIME_WAIT: no process owns it any more
  });

  it('becomes the audit actor: the client label the caller gives, the account the kernel gives', () => {
    const proc = fakeProc();
    expect(apiActor(0xcb20, 0xa028, 'cli', proc)).toBe('cli:anna');
    expect(apiActor(0xcb20, 0xa028, undefined, proc)).toBe('api:anna');
    // A label is only a label: anything but a known client kind is not copied into the audit trail.
    expect(apiActor(0xcb20, 0xa028, 'cli:root', proc)).toBe('api:anna');
    expect(apiActor(0xcb22, 0xa028, 'cli', proc)).toBe('api');
  });
});
