import { Alert, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { useApi, useApp } from '../store.ts';
import { useQuery } from '../use-query.ts';
import { ago, duration, when } from '../format.ts';

/** One row per protected database: can we get it back, how fresh, how fast. */
export function DashboardPage() {
  const api = useApi();
  const startRestore = useApp((s) => s.startRestore);
  const go = useApp((s) => s.go);
  const q = useQuery(async () => {
    const [board, alerts, restores] = await Promise.all([
      api.status.dashboard.query(), api.alerts.list.query({ status: 'open', limit: 20 }), api.ui.restores.query({ limit: 200 }),
    ]);
    return { board, alerts, restores };
  });
  const d = q.data;
  const lastRestore = (server: string, database: string) => d?.restores.find((r) => r.status === 'succeeded' && r.database === database && r.server === server);
  const overall = d?.board.tray === 'red' ? 'failing' : d?.board.tray === 'amber' ? 'warning' : 'ok';
  return (
    <Page title="Dashboard" intro="Every protected database: how recent its last good backup is, and how long a restore took."
      actions={d ? <Group gap="xs"><Text size="lg" fw={600}>Site status:</Text><StatusWord status={overall} size="xl" /></Group> : null}>
      <ProblemNotice problem={q.error} title="The dashboard could not be loaded" />
      {d && d.alerts.length > 0 ? (
        <Stack gap="xs" aria-label="Open alerts">
          {d.alerts.map((a) => (
            <Alert key={a.id} color={a.severity === 'error' ? 'red' : 'yellow'} title={<span><span aria-hidden="true">{'\u26a0 '}</span>{a.subject}</span>}>
              <Group justify="space-between"><Text>{a.message}</Text><Button variant="light" onClick={() => go('alerts')}>Open alerts</Button></Group>
            </Alert>
          ))}
        </Stack>
      ) : null}
      {d && d.board.databases.length === 0 ? (
        <Alert color="yellow" title={<span><span aria-hidden="true">{'\u25cb '}</span>Nothing is protected yet</span>}>
          <Text size="lg">Next step: add a source and a target, then create a job.</Text>
          <Group mt="sm"><Button onClick={() => go('sources')}>Add a source</Button><Button variant="light" onClick={() => go('targets')}>Add a target</Button><Button variant="light" onClick={() => go('jobs')}>Create a job</Button></Group>
        </Alert>
      ) : null}
      {d && d.board.databases.length > 0 ? (
        <Table striped highlightOnHover verticalSpacing="md" fz="lg" aria-label="Protected databases">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Database</Table.Th><Table.Th>Status</Table.Th><Table.Th>Recovery point (now / objective)</Table.Th>
              <Table.Th>Last restore time (measured / objective)</Table.Th><Table.Th>Last run</Table.Th><Table.Th>Next run</Table.Th>
              <Table.Th>Copies (3-2-1-1-0)</Table.Th><Table.Th>Offline copy</Table.Th><Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.board.databases.map((r) => {
              const lr = lastRestore(r.server, r.database);
              const rtoMissed = lr && r.rtoSeconds !== null && (lr.durationMs ?? 0) / 1000 > r.rtoSeconds;
              return (
                <Table.Tr key={`${r.server}/${r.database}`} data-testid={`db-row-${r.database}`}>
                  <Table.Td><Text fw={700} size="lg">{r.database}</Text><Text size="sm" c="dimmed">on {r.server}</Text></Table.Td>
                  <Table.Td><StatusWord status={r.status} />{r.reason ? <Text size="sm" mt={4}>{r.reason}</Text> : null}</Table.Td>
                  <Table.Td>
                    <Text>{r.rpoBreached ? '\u2716 ' : ''}{duration(r.liveRpoSeconds)} / {r.rpoSeconds ? duration(r.rpoSeconds) : 'no objective'}</Text>
                    {r.rpoBreached ? <Text size="sm" fw={700}>Objective missed</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text>{rtoMissed ? '\u2716 ' : ''}{lr ? duration((lr.durationMs ?? 0) / 1000) : 'never tested'} / {r.rtoSeconds ? duration(r.rtoSeconds) : 'no objective'}</Text>
                    {rtoMissed ? <Text size="sm" fw={700}>Slower than the objective</Text> : null}
                  </Table.Td>
                  <Table.Td>{r.lastRun ? <><StatusWord status={r.lastRun.status} size="md" /><Text size="sm">{ago(r.lastRun.finishedAt ?? r.lastRun.startedAt)}</Text></> : <Text>never</Text>}</Table.Td>
                  <Table.Td><Text>{r.nextRunAt ? when(r.nextRunAt) : 'not scheduled'}</Text></Table.Td>
                  <Table.Td>
                    <Text>{r.rule.copies === 0 ? '\u2716 none' : `${r.rule.copies} ${r.rule.copies === 1 ? 'copy' : 'copies'} on ${r.rule.media.length} ${r.rule.media.length === 1 ? 'medium' : 'media'}`}</Text>
                    {r.rule.met.all
                      ? <Text size="sm">{'\u2714 '}3-2-1-1-0 met</Text>
                      : <Text size="sm" c="dimmed" title={r.rule.missing.join('\n')}>{'\u2716 '}3-2-1-1-0 lacks: {r.rule.missing.map((m) => m.split(':')[0]).join(', ')}</Text>}
                  </Table.Td>
                  <Table.Td>{r.rule.offline[0]
                    ? <><Text>{'\u2714 '}{r.rule.offline[0].disk ? `disk ${r.rule.offline[0].disk}` : r.rule.offline[0].target}</Text><Text size="sm" c="dimmed">set of {when(r.rule.offline[0].finishedAt)}</Text></>
                    : <><Text>{'\u2716 none'}</Text><Text size="sm" c="dimmed">no copy is on a rotation disk taken off site</Text></>}</Table.Td>
                  <Table.Td><Button variant="light" onClick={() => startRestore({ server: r.server, database: r.database })} aria-label={`Restore ${r.database}`}>Restore…</Button></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Page>
  );
}
