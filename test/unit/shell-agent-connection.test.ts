import { afterAll, describe, expect, it } from 'vitest';
import { connectOrStartAgent } from '../../src-main/shell/agent-connection.ts';
import { startAgent } from '../../src-main/agent/agent.ts';
import { CLI } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

afterAll(() => cleanupTemp());

// The desktop app is a client: it uses a running agent (the service) and starts one only when none answers.
describe('connecting the desktop app to the agent', () => {
  it('uses the agent that already runs for the home, without starting another', async () => {
    const home = tempDir();
    const agent = await startAgent({ home, tickMs: 200 });
    try {
      const link = await connectOrStartAgent(home, { command: '/nonexistent/should-not-run', args: [] });
      expect(link.child).toBeNull();
      expect(link.url).toBe(agent.url);
      expect(link.token).toBe(agent.token);
      expect((await link.client.status.agent.query()).mode).toBe('agent');
    } finally {
      await agent.stop();
    }
  });

  it('starts the agent as its child when none runs, and reports why when it cannot', async () => {
    const home = tempDir();
    const link = await connectOrStartAgent(home, { command: process.execPath, args: [CLI, '--home', home, 'agent'], timeoutMs: 60_000 });
    try {
      expect(link.child?.pid).toBeGreaterThan(0);
      const who = await link.client.status.agent.query();
      expect(who.pid).toBe(link.child!.pid);
    } finally {
      link.child?.kill('SIGTERM');
      await new Promise((r) => link.child?.once('exit', r));
    }
    const failing = connectOrStartAgent(tempDir(), { command: process.execPath, args: ['-e', 'console.error("catalog is damaged"); process.exit(1)'], timeoutMs: 10_000 });
    await expect(failing).rejects.toMatchObject({ code: 'AGENT_NOT_RUNNING', message: expect.stringContaining('catalog is damaged') });
  });
});
