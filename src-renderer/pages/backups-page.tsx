import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi, useApp } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { bytes, when } from '../format.ts';
import type { Api } from '../api/client.ts';

type SetRow = Awaited<ReturnType<Api['sets']['list']['query']>>[number];

const TYPE_WORD: Record<string, string> = { full: 'Full', diff: 'Differential', log: 'Log', 'copy-only': 'Copy-only' };

/** The newest verification result of a set: L1 per copy, L2 once. */
function verification(s: SetRow): string {
  if (s.verifications.length === 0) return 'unverified';
  const latest = [...s.verifications].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0]!;
  return latest.result;
}

/** Per database, its sets from newest to oldest with their copies and verification; "verify now". */
export function BackupsPage() {
  const api = useApi();
  const startRestore = useApp((s) => s.startRestore);
  const sets = useQuery(() => api.sets.list.query({}));
  const targets = useQuery(() => api.targets.list.query());
  const [verified, setVerified] = useState<Record<string, string>>({});
  const verify = useAction(async (setId: string) => {
    const r = await api.recovery.verify.mutate({ setIds: [setId] });
    const v = r.results[0];
    setVerified({ ...verified, [setId]: v?.ok ? 'passed' : 'failed' });
    sets.reload();
  });
  const targetName = (id: string) => targets.data?.find((t) => t.id === id)?.name ?? id;
  const groups = new Map<string, SetRow[]>();
  for (const s of sets.data ?? []) {
    const k = `${s.server}/${s.database}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return (
    <Page title="Backups" intro="Every complete backup set, newest first, with where its copies are and whether they were checked.">
      <ProblemNotice problem={sets.error ?? verify.error} title="Backups could not be loaded or verified" />
      {sets.data && groups.size === 0 ? <Text size="lg">No backups yet. Next step: run a job on the Jobs page.</Text> : null}
      {[...groups.entries()].map(([key, list]) => (
        <Card key={key} withBorder padding="lg" aria-label={`Backups of ${key}`}>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h3">{list[0]!.database} <Text span c="dimmed" size="lg">on {list[0]!.server}</Text></Title>
            <Button variant="light" onClick={() => startRestore({ server: list[0]!.server, database: list[0]!.database })}>Restore…</Button>
          </Group>
          <Table verticalSpacing="sm" fz="lg" aria-label={`Timeline of ${list[0]!.database}`}>
            <Table.Thead><Table.Tr><Table.Th>Finished</Table.Th><Table.Th>Type</Table.Th><Table.Th>Size</Table.Th><Table.Th>Copies</Table.Th><Table.Th>Verification</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {[...list].reverse().map((s) => (
                <Table.Tr key={s.id} data-testid={`set-${s.id}`}>
                  <Table.Td>{when(s.finishedAt)}</Table.Td>
                  <Table.Td><Badge size="lg" variant="outline" styles={{ root: { textTransform: 'none' } }}>{TYPE_WORD[s.type] ?? s.type}</Badge>{s.tags.includes('safety') ? <Text size="sm">safety backup</Text> : null}</Table.Td>
                  <Table.Td>{bytes(s.bytes)}</Table.Td>
                  <Table.Td><Stack gap={2}>{s.copies.map((c) => <Text key={c.id} size="md">{c.status === 'present' ? '\u2714' : '\u2716'} {targetName(c.targetId)} ({c.status})</Text>)}</Stack></Table.Td>
                  <Table.Td><StatusWord status={verified[s.id] ?? verification(s)} size="md" /></Table.Td>
                  <Table.Td><Button variant="light" loading={verify.busy} onClick={() => void verify.run(s.id)} aria-label={`Verify set of ${when(s.finishedAt)} now`}>Verify now</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
    </Page>
  );
}
