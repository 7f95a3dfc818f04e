import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { duration } from '../format.ts';

function Objectives() {
  const api = useApi();
  const list = useQuery(() => api.objectives.list.query());
  const board = useQuery(() => api.status.dashboard.query());
  const [db, setDb] = useState<string | null>(null);
  const [rpo, setRpo] = useState<number | string>(60);
  const [rto, setRto] = useState<number | string>(60);
  const save = useAction(async () => {
    const [server, database] = (db ?? '').split('\u0000') as [string, string];
    await api.objectives.set.mutate({ server, database, rpoSeconds: Number(rpo) * 60, rtoSeconds: Number(rto) * 60 });
    list.reload();
  });
  return (
    <Card withBorder padding="lg" component="form" aria-label="Objectives" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
      <Title order={2} size="h3" mb="md">Objectives per database</Title>
      <Text mb="md">Recovery point objective: the most data you can afford to lose. Recovery time objective: how long a restore may take.</Text>
      <SimpleGrid cols={3}>
        <Select label="Database" required value={db} onChange={setDb}
          data={(board.data?.databases ?? []).map((d) => ({ value: `${d.server}\u0000${d.database}`, label: `${d.database} on ${d.server}` }))} />
        <NumberInput label="Recovery point objective (minutes)" min={1} value={rpo} onChange={setRpo} />
        <NumberInput label="Recovery time objective (minutes)" min={1} value={rto} onChange={setRto} />
      </SimpleGrid>
      <Group mt="md"><Button type="submit" loading={save.busy} disabled={!db}>Save objectives</Button></Group>
      <ProblemNotice problem={save.error ?? list.error} />
      <Table mt="md" fz="lg" aria-label="Objectives">
        <Table.Thead><Table.Tr><Table.Th>Database</Table.Th><Table.Th>Recovery point</Table.Th><Table.Th>Recovery time</Table.Th><Table.Th>Now</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((o) => (
            <Table.Tr key={`${o.server}/${o.database}`}>
              <Table.Td>{o.database} on {o.server}</Table.Td><Table.Td>{duration(o.rpoSeconds)}</Table.Td><Table.Td>{duration(o.rtoSeconds)}</Table.Td>
              <Table.Td><StatusWord status={o.breached ? 'failing' : 'ok'} size="md" /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Smtp() {
  const api = useApi();
  const cur = useQuery(() => api.settings.smtp.get.query());
  const [f, setF] = useState({ enabled: false, host: '', port: 25 as number | string, starttls: 'optional', user: '', password: '', from: '', to: '' });
  const [sent, setSent] = useState<string | null>(null);
  useEffect(() => {
    const s = cur.data;
    if (s) setF((x) => ({ ...x, enabled: s.enabled, host: s.host ?? '', port: s.port ?? 25, starttls: s.starttls ?? 'optional', user: s.user ?? '', from: s.from ?? '', to: (s.to ?? []).join(', ') }));
  }, [cur.data]);
  const save = useAction(async () => {
    setSent(null);
    const to = f.to.split(/[,;\s]+/).filter(Boolean);
    await api.settings.smtp.set.mutate({
      enabled: f.enabled, ...(f.host ? { host: f.host } : {}), port: Number(f.port), starttls: f.starttls as 'off' | 'optional' | 'required',
      user: f.user || null, ...(f.password ? { password: f.password } : {}), ...(f.from ? { from: f.from } : {}), to,
    });
  });
  const test = useAction(async () => { const r = await api.settings.smtp.test.mutate(); setSent(`A test message was sent to ${r.sentTo.join(', ')}.`); });
  return (
    <Card withBorder padding="lg" component="form" aria-label="Mail relay" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
      <Title order={2} size="h3" mb="md">Alert e-mail (SMTP relay)</Title>
      <Stack>
        <Checkbox size="md" label="Send alerts by e-mail" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.currentTarget.checked })} />
        <SimpleGrid cols={2}>
          <TextInput label="Relay host" value={f.host} onChange={(e) => setF({ ...f, host: e.currentTarget.value })} />
          <NumberInput label="Port" min={1} max={65535} value={f.port} onChange={(v) => setF({ ...f, port: v })} />
          <Select label="STARTTLS" value={f.starttls} onChange={(v) => setF({ ...f, starttls: v ?? 'optional' })} data={[{ value: 'required', label: 'Required' }, { value: 'optional', label: 'When offered' }, { value: 'off', label: 'Off' }]} />
          <TextInput label="User (if the relay needs one)" value={f.user} onChange={(e) => setF({ ...f, user: e.currentTarget.value })} />
          <PasswordInput label="Password" description={cur.data?.hasPassword ? 'A password is stored; leave empty to keep it' : undefined} value={f.password} onChange={(e) => setF({ ...f, password: e.currentTarget.value })} />
          <TextInput label="From address" value={f.from} onChange={(e) => setF({ ...f, from: e.currentTarget.value })} />
          <TextInput label="Send to (comma-separated)" value={f.to} onChange={(e) => setF({ ...f, to: e.currentTarget.value })} />
        </SimpleGrid>
        <Group><Button type="submit" loading={save.busy}>Save mail settings</Button><Button variant="light" loading={test.busy} onClick={() => void test.run()}>Send a test message</Button></Group>
        {sent ? <Text size="lg"><span aria-hidden="true">{'\u2714 '}</span>{sent}</Text> : null}
        <ProblemNotice problem={save.error ?? test.error ?? cur.error} title="The mail settings did not work" />
      </Stack>
    </Card>
  );
}

/** Where the alert rules draw their lines (changes are audited with old and new values). */
function Thresholds() {
  const api = useApi();
  const cur = useQuery(() => api.settings.alerts.get.query());
  const [gib, setGib] = useState<number | string>('');
  const [days, setDays] = useState<number | string>('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const t = cur.data;
    if (t) { setGib(Math.round((t.lowSpaceBytes / 1024 ** 3) * 10) / 10); setDays(t.offlineCopyMaxAgeDays); }
  }, [cur.data]);
  const save = useAction(async () => {
    setSaved(false);
    await api.settings.alerts.set.mutate({ lowSpaceBytes: Math.round(Number(gib) * 1024 ** 3), offlineCopyMaxAgeDays: Number(days) });
    setSaved(true);
    cur.reload();
  });
  return (
    <Card withBorder padding="lg" component="form" aria-label="Alert thresholds" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
      <Title order={2} size="h3" mb="md">Alert thresholds</Title>
      <SimpleGrid cols={2}>
        <NumberInput label="Warn when a target has less free space than (GiB)" min={0.1} step={1} decimalScale={1} value={gib} onChange={setGib} />
        <NumberInput label="Warn when no disk of a rotation set has left the site for (days)" min={1} max={366} value={days} onChange={setDays} />
      </SimpleGrid>
      <Group mt="md"><Button type="submit" loading={save.busy}>Save thresholds</Button></Group>
      {saved ? <Text size="lg" mt="sm"><span aria-hidden="true">{'\u2714 '}</span>Saved.</Text> : null}
      <ProblemNotice problem={save.error ?? cur.error} title="The thresholds were not saved" />
    </Card>
  );
}

export function SettingsPage() {
  return (
    <Page title="Settings" intro="Objectives for each database, where alert e-mails go, and when alerts are raised.">
      <Objectives />
      <Smtp />
      <Thresholds />
    </Page>
  );
}
