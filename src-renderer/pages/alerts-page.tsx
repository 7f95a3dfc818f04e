import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { when } from '../format.ts';

/** Alerts, open first; acknowledging one stops its repeats but keeps it until the cause is gone. */
export function AlertsPage() {
  const api = useApi();
  const alerts = useQuery(() => api.alerts.list.query({ limit: 200 }));
  const ack = useAction(async (id: string) => { await api.alerts.ack.mutate({ id }); alerts.reload(); });
  const order = { open: 0, acknowledged: 1, cleared: 2 } as Record<string, number>;
  const list = [...(alerts.data ?? [])].sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || b.lastAt.localeCompare(a.lastAt));
  return (
    <Page title="Alerts" intro="Problems Lifeboat found, and whether someone has seen them.">
      <ProblemNotice problem={alerts.error ?? ack.error} />
      {alerts.data && list.length === 0 ? <Text size="lg"><span aria-hidden="true">{'\u2714 '}</span>No alerts.</Text> : null}
      <Stack>
        {list.map((a) => (
          <Card key={a.id} withBorder padding="md" aria-label={a.subject}>
            <Group justify="space-between">
              <Group><StatusWord status={a.status} /><Text size="lg" fw={700}>{a.subject}</Text></Group>
              {a.status === 'open' ? <Button onClick={() => void ack.run(a.id)} loading={ack.busy}>Acknowledge</Button> : null}
            </Group>
            <Text size="lg" mt="xs">{a.message}</Text>
            <Text c="dimmed" mt="xs">Severity {a.severity}; first {when(a.firstAt)}, last {when(a.lastAt)}, {a.occurrences} time(s){a.ackBy ? `; acknowledged by ${a.ackBy}` : ''}</Text>
          </Card>
        ))}
      </Stack>
    </Page>
  );
}
