import { Card, Group, Stack, Table, Text } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useQuery } from '../use-query.ts';
import { nextStepFor } from '../api/client.ts';
import { bytes, when } from '../format.ts';

const KIND_WORD: Record<string, string> = { backup: 'Backup', verify: 'Verification', restore: 'Restore', drill: 'Restore drill', prune: 'Clean-up', rebuild: 'Catalog rebuild' };

/** Everything Lifeboat did, with its phases, and for failures the reason and the next step. */
export function ActivityPage() {
  const api = useApi();
  const runs = useQuery(() => api.runs.list.query({ limit: 50 }));
  return (
    <Page title="Activity" intro="Backups, verifications and restores, newest first.">
      <ProblemNotice problem={runs.error} title="The activity could not be loaded" />
      {runs.data && runs.data.length === 0 ? <Text size="lg">Nothing has run yet.</Text> : null}
      <Stack>
        {(runs.data ?? []).map((r) => (
          <Card key={r.id} withBorder padding="md" aria-label={`${KIND_WORD[r.kind] ?? r.kind} ${r.databaseName ?? ''}`} data-testid="run">
            <Group justify="space-between">
              <Group><StatusWord status={r.status} /><Text size="lg" fw={700}>{KIND_WORD[r.kind] ?? r.kind}{r.databaseName ? ` of ${r.databaseName}` : ''}</Text><Text c="dimmed">started {when(r.startedAt)} ({r.trigger})</Text></Group>
              <Text c="dimmed">{r.finishedAt ? `finished ${when(r.finishedAt)}` : 'still running'}</Text>
            </Group>
            {r.phases.length ? (
              <Table mt="sm" fz="md" aria-label="Phases">
                <Table.Thead><Table.Tr><Table.Th>Phase</Table.Th><Table.Th>Status</Table.Th><Table.Th>Bytes</Table.Th><Table.Th>Problem</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {r.phases.map((p) => (
                    <Table.Tr key={p.seq}><Table.Td>{p.phase}</Table.Td><Table.Td><StatusWord status={p.status} size="md" /></Table.Td><Table.Td>{p.bytes ? bytes(p.bytes) : '—'}</Table.Td><Table.Td>{p.errorMessage ?? ''}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
            {r.status === 'failed' || r.status === 'partial'
              ? <ProblemNotice problem={{ code: r.errorCode ?? 'INTERNAL', message: r.errorMessage ?? 'the run failed without a message', nextStep: nextStepFor(r.errorCode) }} title="Why it failed" />
              : null}
          </Card>
        ))}
      </Stack>
    </Page>
  );
}
