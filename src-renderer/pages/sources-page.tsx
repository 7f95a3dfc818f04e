import { useState } from 'react';
import { Button, Card, Group, PasswordInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title, Select } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { bytes } from '../format.ts';
import type { Api } from '../api/client.ts';

type Probe = Awaited<ReturnType<Api['sources']['test']['mutate']>>;

function ProbeCard({ name, probe }: { name: string; probe: Probe }) {
  return (
    <Card withBorder padding="lg" aria-label={`Test result for ${name}`} data-testid="probe-result">
      <Group><StatusWord status="ok" /><Text size="lg" fw={700}>{name} answered</Text></Group>
      <SimpleGrid cols={3} mt="md">
        <div><Text c="dimmed">Version</Text><Text size="lg" data-testid="probe-version">{probe.serverVersion}</Text></div>
        <div><Text c="dimmed">Edition</Text><Text size="lg">{probe.edition ?? '—'}</Text></div>
        <div><Text c="dimmed">Data checksums</Text><Text size="lg">{probe.dataChecksums === null ? '—' : probe.dataChecksums ? 'on' : 'off'}</Text></div>
      </SimpleGrid>
      <Table mt="md" fz="md" aria-label={`Databases on ${name}`}>
        <Table.Thead><Table.Tr><Table.Th>Database</Table.Th><Table.Th>Size</Table.Th><Table.Th>Recovery model</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {probe.databases.map((d) => <Table.Tr key={d.name}><Table.Td>{d.name}</Table.Td><Table.Td>{bytes(d.sizeBytes)}</Table.Td><Table.Td>{d.recoveryModel ?? 'not applicable (PostgreSQL)'}</Table.Td></Table.Tr>)}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** Database servers Lifeboat backs up: add one, test it (version, edition, recovery model, sizes). */
export function SourcesPage() {
  const api = useApi();
  const list = useQuery(() => api.sources.list.query());
  const [kind, setKind] = useState<'postgres' | 'mssql'>('postgres');
  const [form, setForm] = useState({ name: '', host: '127.0.0.1', port: '5432', user: '', password: '', instanceName: '', stagingServerPath: '', stagingLocalPath: '', encrypt: 'on' });
  const [result, setResult] = useState<{ name: string; probe: Probe } | null>(null);
  const field = (k: keyof typeof form) => ({ value: form[k], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }) });
  const save = useAction(async () => {
    setResult(null);
    const config: Record<string, unknown> = { host: form.host, port: Number(form.port), user: form.user };
    if (kind === 'mssql') Object.assign(config, { stagingServerPath: form.stagingServerPath, stagingLocalPath: form.stagingLocalPath, encrypt: form.encrypt, ...(form.instanceName ? { instanceName: form.instanceName } : {}) });
    await api.sources.add.mutate({ name: form.name, kind, config, ...(form.password ? { password: form.password } : {}) });
    list.reload();
    const probe = await api.sources.test.mutate({ source: form.name });
    setResult({ name: form.name, probe });
  });
  const test = useAction(async (name: string) => { setResult(null); setResult({ name, probe: await api.sources.test.mutate({ source: name }) }); });
  return (
    <Page title="Sources" intro="The database servers Lifeboat backs up.">
      <Card withBorder padding="lg" component="form" aria-label="Add a source" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
        <Title order={2} size="h3" mb="md">Add a source</Title>
        <Stack>
          <SegmentedControl size="md" value={kind} aria-label="Kind of server"
            onChange={(v) => { setKind(v as 'postgres' | 'mssql'); setForm({ ...form, port: v === 'mssql' ? '1433' : '5432' }); }}
            data={[{ value: 'postgres', label: 'PostgreSQL' }, { value: 'mssql', label: 'SQL Server' }]} />
          <SimpleGrid cols={2}>
            <TextInput label="Name" description="Letters, digits, dot, dash, underscore" required {...field('name')} />
            <TextInput label="Host" required {...field('host')} />
            <TextInput label="Port" required {...field('port')} inputMode="numeric" />
            <TextInput label="User" required {...field('user')} />
            <PasswordInput label="Password" {...field('password')} />
            {kind === 'mssql' ? <>
              <TextInput label="Instance name" description="e.g. SQLEXPRESS; leave empty for the default instance" {...field('instanceName')} />
              <TextInput label="Staging folder as SQL Server sees it" required {...field('stagingServerPath')} />
              <TextInput label="Staging folder as Lifeboat reads it" required {...field('stagingLocalPath')} />
              <Select label="Encryption" value={form.encrypt} onChange={(v) => setForm({ ...form, encrypt: v ?? 'on' })} data={[{ value: 'strict', label: 'Strict (TDS 8)' }, { value: 'on', label: 'On' }, { value: 'off', label: 'Off' }]} />
            </> : null}
          </SimpleGrid>
          <Group><Button type="submit" size="lg" loading={save.busy}>Save and test</Button></Group>
          <ProblemNotice problem={save.error} title="The source could not be saved or reached" />
        </Stack>
      </Card>
      {result ? <ProbeCard name={result.name} probe={result.probe} /> : null}
      <ProblemNotice problem={test.error ?? list.error} title="The test failed" />
      <Table verticalSpacing="sm" fz="lg" aria-label="Sources">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Address</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td fw={700}>{s.name}</Table.Td>
              <Table.Td>{s.kind === 'mssql' ? 'SQL Server' : 'PostgreSQL'}</Table.Td>
              <Table.Td>{String(s.config.host)}:{String(s.config.port ?? '')}</Table.Td>
              <Table.Td><Button variant="light" onClick={() => void test.run(s.name)} loading={test.busy} aria-label={`Test ${s.name}`}>Test</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Page>
  );
}
