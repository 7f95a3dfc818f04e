import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Code, Group, PasswordInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { folderPicker, problemOf, type ApiProblem } from '../api/client.ts';
import { bytes } from '../format.ts';

// What the operator chooses; `driver` is the agent's target kind behind it.
const KINDS = [
  { value: 'folder', label: 'Folder', driver: 'local' },
  { value: 'usb', label: 'USB rotation set', driver: 'usb' },
  { value: 'sftp', label: 'SFTP / NAS', driver: 'sftp' },
  { value: 'smb', label: 'Windows share (SMB)', driver: 'smb' },
] as const;

interface TestOutcome { name: string; ok: boolean; freeBytes?: number | null; location?: string; objects?: number; problem?: ApiProblem; fingerprint?: string }

/** Where backups go: add a target, test it, approve an SFTP server's host key. */
export function TargetsPage() {
  const api = useApi();
  const list = useQuery(() => api.targets.list.query());
  const kinds = useQuery(() => api.targets.kinds.query());
  const [kind, setKind] = useState<(typeof KINDS)[number]['value']>('folder');
  const [form, setForm] = useState({ name: '', path: '', host: '', port: '22', username: '', password: '', share: '', domain: '', set: '', mounts: '' });
  const [offsite, setOffsite] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const driver = KINDS.find((k) => k.value === kind)!.driver;
  const available = (kinds.data ?? []).some((k) => k.kind === driver);
  const pick = folderPicker();
  const field = (k: keyof typeof form) => ({ value: form[k], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }) });

  const runTest = async (name: string) => {
    try {
      const r = await api.targets.test.mutate({ target: name });
      setOutcome({ name, ok: true, freeBytes: r.freeBytes, location: r.location, objects: r.objects });
    } catch (e) {
      const p = problemOf(e);
      const fingerprint = p.code === 'HOST_KEY_UNKNOWN' ? p.message.match(/SHA256:[A-Za-z0-9+/]{43}/)?.[0] : undefined;
      setOutcome({ name, ok: false, problem: p, ...(fingerprint ? { fingerprint } : {}) });
    }
    list.reload();
  };
  const save = useAction(async () => {
    setOutcome(null);
    const config = driver === 'local' ? { path: form.path }
      : driver === 'usb' ? { set: form.set, ...(form.mounts.trim() ? { mounts: form.mounts } : {}) }
      : driver === 'smb' ? { host: form.host, port: Number(form.port), share: form.share, path: form.path, username: form.username, ...(form.domain ? { domain: form.domain } : {}) }
      : { host: form.host, port: Number(form.port), username: form.username, path: form.path };
    // A rotation set's disks are off site when ejected; any other target is off site where it stands.
    await api.targets.add.mutate({ name: form.name, kind: driver, config: { ...config, ...(offsite && driver !== 'usb' ? { offsite: true } : {}) }, ...(form.password ? { secret: form.password } : {}) });
    await runTest(form.name);
  });
  const approve = useAction(async (name: string, fingerprint: string) => {
    const cur = await api.targets.get.query({ target: name });
    await api.targets.update.mutate({ target: name, config: { ...cur.config, hostKeySha256: fingerprint } });
    await runTest(name);
  });

  return (
    <Page title="Targets" intro="Where the backups are stored. Keep at least two, one of them offline.">
      <Card withBorder padding="lg" component="form" aria-label="Add a target" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
        <Title order={2} size="h3" mb="md">Add a target</Title>
        <Stack>
          <SegmentedControl size="md" value={kind} onChange={(v) => { setKind(v as typeof kind); setForm({ ...form, port: v === 'smb' ? '445' : '22' }); }} data={KINDS.map((k) => ({ value: k.value, label: k.label }))} aria-label="Kind of target" />
          {!available && kinds.data ? (
            <Alert color="yellow" title={<span><span aria-hidden="true">{'\u26a0 '}</span>Not available in this agent</span>}>
              <Text size="lg">This agent has no {KINDS.find((k) => k.value === kind)!.label} driver. Next step: use another kind of target, or update Lifeboat.</Text>
            </Alert>
          ) : null}
          <SimpleGrid cols={2}>
            <TextInput label="Name" required {...field('name')} />
            {driver === 'usb' ? <>
              <TextInput label="Rotation set name" description="The name written on each disk of the set when it was prepared" required {...field('set')} />
              <TextInput label="Mount points to look at" description="Optional, comma-separated; empty: every removable disk" {...field('mounts')} />
              <Text size="md" style={{ gridColumn: '1 / -1' }}>Each disk of the set is prepared once with "lifeboat target init-disk" on this machine. Lifeboat writes to whichever disk of the set is plugged in, and never to the system disk.</Text>
            </> : driver === 'smb' ? <>
              <TextInput label="Server" description="Host name or address, without slashes" required {...field('host')} />
              <TextInput label="Share" required {...field('share')} />
              <TextInput label="Folder inside the share" description="Empty for the share's root" {...field('path')} />
              <TextInput label="Port" required {...field('port')} inputMode="numeric" />
              <TextInput label="User name" required {...field('username')} />
              <TextInput label="Domain" description="Leave empty for a local account" {...field('domain')} />
              <PasswordInput label="Password" required {...field('password')} />
            </> : driver === 'sftp' ? <>
              <TextInput label="Host" required {...field('host')} />
              <TextInput label="Port" required {...field('port')} inputMode="numeric" />
              <TextInput label="User name" required {...field('username')} />
              <PasswordInput label="Password" {...field('password')} />
              <TextInput label="Folder on the server" required {...field('path')} />
            </> : (
              <Group align="flex-end" wrap="nowrap">
                <TextInput label="Folder" description="A local folder or a mounted disk" required style={{ flex: 1 }} {...field('path')} />
                {pick ? <Button variant="light" onClick={() => void pick().then((p) => { if (p) setForm({ ...form, path: p }); })}>Choose…</Button> : null}
              </Group>
            )}
          </SimpleGrid>
          {driver !== 'usb' ? (
            <Checkbox size="md" label="Kept off site (in another building or at another site)" checked={offsite} onChange={(e) => setOffsite(e.currentTarget.checked)}
              description="Its copies then count as the off-site copy of the 3-2-1-1-0 rule" />
          ) : null}
          <Group><Button type="submit" size="lg" loading={save.busy} disabled={!available}>Save and test</Button></Group>
          <ProblemNotice problem={save.error} title="The target could not be saved" />
        </Stack>
      </Card>
      {outcome ? (
        <Card withBorder padding="lg" aria-label={`Test result for ${outcome.name}`} data-testid="target-test">
          <Group><StatusWord status={outcome.ok ? 'ok' : outcome.fingerprint ? 'approval' : 'failed'} /><Text size="lg" fw={700}>{outcome.name}</Text></Group>
          {outcome.ok ? (
            <SimpleGrid cols={3} mt="md">
              <div><Text c="dimmed">Location</Text><Text size="lg">{outcome.location}</Text></div>
              <div><Text c="dimmed">Free space</Text><Text size="lg" data-testid="free-space">{outcome.freeBytes === null ? 'unknown' : bytes(outcome.freeBytes)}</Text></div>
              <div><Text c="dimmed">Stored objects</Text><Text size="lg">{outcome.objects}</Text></div>
            </SimpleGrid>
          ) : outcome.fingerprint ? (
            <Stack mt="md">
              <Text size="lg">The server presented this host key. Compare it with the fingerprint its administrator gives you (ssh-keygen -lf on the server) before approving it:</Text>
              <Code block fz="lg">{outcome.fingerprint}</Code>
              <Group><Button size="lg" loading={approve.busy} onClick={() => void approve.run(outcome.name, outcome.fingerprint!)}>Approve this host key</Button></Group>
              <ProblemNotice problem={approve.error} />
            </Stack>
          ) : <ProblemNotice problem={outcome.problem ?? null} title="The target did not pass its test" />}
        </Card>
      ) : null}
      <ProblemNotice problem={list.error} />
      <Table verticalSpacing="sm" fz="lg" aria-label="Targets">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Where</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td fw={700}>{t.name}</Table.Td>
              <Table.Td>{KINDS.find((k) => k.driver === t.kind)?.label ?? t.kind}</Table.Td>
              <Table.Td>{t.kind === 'sftp' ? `${String(t.config.username)}@${String(t.config.host)}:${String(t.config.path)}` : t.kind === 'usb' ? `rotation set ${String(t.config.set)}` : t.kind === 'smb' ? `\\\\${String(t.config.host)}\\${String(t.config.share)}${t.config.path ? `\\${String(t.config.path)}` : ''}` : String(t.config.path)}</Table.Td>
              <Table.Td><Button variant="light" onClick={() => void runTest(t.name)} aria-label={`Test ${t.name}`}>Test</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Page>
  );
}
