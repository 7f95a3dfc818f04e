import { useEffect, useState } from 'react';
import { Button, Card, Group, MultiSelect, NumberInput, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, List } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { problemOf, type ApiProblem } from '../api/client.ts';
import { describeCron } from '../schedule-words.ts';
import { when } from '../format.ts';

const PRESETS = [
  { value: 'manual', label: 'Only when started by hand', schedule: null },
  { value: 'every 15 minutes', label: 'Every 15 minutes', schedule: 'every 15 minutes' },
  { value: 'hourly', label: 'Every hour', schedule: 'hourly' },
  { value: 'daily 02:00', label: 'Every day at 02:00', schedule: 'daily 02:00' },
  { value: 'weekly sunday 03:00', label: 'Every Sunday at 03:00', schedule: 'weekly sunday 03:00' },
  { value: 'cron', label: 'Custom (cron pattern)', schedule: '' },
];

/** What is backed up, when, where to, for how long, and whether it is encrypted. */
export function JobsPage() {
  const api = useApi();
  const jobs = useQuery(() => api.jobs.list.query());
  const sources = useQuery(() => api.sources.list.query());
  const targets = useQuery(() => api.targets.list.query());
  const [name, setName] = useState('');
  const [source, setSource] = useState<string | null>(null);
  const [databases, setDatabases] = useState<string[]>([]);
  const [dbChoices, setDbChoices] = useState<string[]>([]);
  const [dbProblem, setDbProblem] = useState<ApiProblem | null>(null);
  const [preset, setPreset] = useState('daily 02:00');
  const [cron, setCron] = useState('0 2 * * *');
  const [chosenTargets, setChosenTargets] = useState<string[]>([]);
  // The agent's retention policy (core/retention/policy.ts), with its defaults.
  const [keep, setKeep] = useState<Record<'keepLast' | 'daily' | 'weekly' | 'monthly' | 'yearly', number | string>>({ keepLast: 7, daily: 14, weekly: 8, monthly: 12, yearly: 3 });
  const [encryption, setEncryption] = useState<'none' | 'passphrase'>('none');
  const [passphrase, setPassphrase] = useState('');
  const [preview, setPreview] = useState<{ words: string; next: string[]; problem: ApiProblem | null } | null>(null);
  const [runOutcome, setRunOutcome] = useState<{ job: string; status: string; message: string | null } | null>(null);
  const schedule = preset === 'cron' ? cron : PRESETS.find((p) => p.value === preset)!.schedule;

  useEffect(() => {
    if (!source) return;
    setDbProblem(null);
    api.sources.test.mutate({ source }).then(
      (p) => setDbChoices(p.databases.map((d) => d.name).filter((n) => !['postgres', 'template0', 'template1', 'master', 'model', 'msdb', 'tempdb'].includes(n))),
      (e: unknown) => { setDbChoices([]); setDbProblem(problemOf(e)); },
    );
  }, [api, source]);

  useEffect(() => {
    if (!schedule) { setPreview(schedule === null ? { words: 'no schedule: the job runs only when started by hand', next: [], problem: null } : null); return; }
    const t = setTimeout(() => {
      api.ui.schedulePreview.query({ schedule, count: 3 }).then(
        (p) => setPreview(p.ok ? { words: describeCron(p.cron), next: p.next, problem: null } : { words: '', next: [], problem: { code: 'USAGE', message: p.message, nextStep: p.nextStep } }),
        (e: unknown) => setPreview({ words: '', next: [], problem: problemOf(e) }),
      );
    }, 250);
    return () => clearTimeout(t);
  }, [api, schedule]);

  const save = useAction(async () => {
    await api.jobs.add.mutate({
      name, source: source ?? '', databases, targets: chosenTargets, schedule,
      options: { encryption, retention: Object.fromEntries(Object.entries(keep).map(([k, v]) => [k, Number(v)])) },
      ...(encryption === 'passphrase' ? { passphrase } : {}),
    });
    setName('');
    jobs.reload();
  });
  const runNow = useAction(async (job: string) => {
    setRunOutcome(null);
    const r = await api.jobs.run.mutate({ job });
    const failed = r.results.find((x) => x.status !== 'succeeded');
    setRunOutcome({ job, status: failed ? failed.status : 'succeeded', message: failed?.error ? `${failed.error.message}${failed.error.hint ? ` — ${failed.error.hint}` : ''}` : null });
  });

  return (
    <Page title="Jobs" intro="Which databases are backed up, when, to which targets, for how long.">
      <Card withBorder padding="lg" component="form" aria-label="Create a job" onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save.run(); }}>
        <Title order={2} size="h3" mb="md">Create a job</Title>
        <Stack>
          <SimpleGrid cols={2}>
            <TextInput label="Job name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select label="Source" required placeholder="Choose a server" value={source} onChange={setSource} allowDeselect={false} data={(sources.data ?? []).map((s) => s.name)} />
            <MultiSelect label="Databases" required placeholder={source ? 'Choose databases' : 'Choose a source first'} value={databases} onChange={setDatabases} data={dbChoices} searchable />
            <MultiSelect label="Targets" required placeholder="Choose where to store" value={chosenTargets} onChange={setChosenTargets} data={(targets.data ?? []).map((t) => t.name)} />
          </SimpleGrid>
          <ProblemNotice problem={dbProblem} title="The source's databases could not be listed" />
          <SimpleGrid cols={2}>
            <Select label="Schedule" value={preset} onChange={(v) => setPreset(v ?? 'manual')} data={PRESETS.map((p) => ({ value: p.value, label: p.label }))} allowDeselect={false} />
            {preset === 'cron' ? <TextInput label="Cron pattern" description="minute hour day-of-month month day-of-week" value={cron} onChange={(e) => setCron(e.currentTarget.value)} /> : <div />}
          </SimpleGrid>
          {preview ? (
            <Card withBorder padding="sm" aria-label="Schedule preview" data-testid="schedule-preview">
              {preview.problem ? <ProblemNotice problem={preview.problem} title="That schedule is not valid" /> : <>
                <Text size="lg">Runs {preview.words}.</Text>
                {preview.next.length ? <><Text c="dimmed" mt="xs">Next runs:</Text><List>{preview.next.map((n) => <List.Item key={n}>{when(n)}</List.Item>)}</List></> : null}
              </>}
            </Card>
          ) : null}
          <SimpleGrid cols={5}>
            <NumberInput label="Keep the last" min={0} value={keep.keepLast} onChange={(v) => setKeep({ ...keep, keepLast: v })} />
            <NumberInput label="Daily, for days" min={0} value={keep.daily} onChange={(v) => setKeep({ ...keep, daily: v })} />
            <NumberInput label="Weekly, for weeks" min={0} value={keep.weekly} onChange={(v) => setKeep({ ...keep, weekly: v })} />
            <NumberInput label="Monthly, for months" min={0} value={keep.monthly} onChange={(v) => setKeep({ ...keep, monthly: v })} />
            <NumberInput label="Yearly, for years" min={0} value={keep.yearly} onChange={(v) => setKeep({ ...keep, yearly: v })} />
          </SimpleGrid>
          <Text size="md">Keeps the last {keep.keepLast} backups, plus the newest of each of the last {keep.daily} days, {keep.weekly} weeks, {keep.monthly} months and {keep.yearly} years. A backup that a newer one depends on, and the last verified copy, are never removed.</Text>
          <Stack gap={4}>
            <Text fw={500}>Encryption</Text>
            <SegmentedControl size="md" value={encryption} onChange={(v) => setEncryption(v as 'none' | 'passphrase')} aria-label="Encryption"
              data={[{ value: 'none', label: 'None' }, { value: 'passphrase', label: 'Passphrase (age)' }]} />
            {encryption === 'passphrase' ? <PasswordInput label="Passphrase" description="At least 8 characters. Keep it somewhere safe: without it the backups cannot be read." value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} required /> : null}
          </Stack>
          <Group><Button type="submit" size="lg" loading={save.busy}>Create job</Button></Group>
          <ProblemNotice problem={save.error} title="The job could not be created" />
        </Stack>
      </Card>
      <ProblemNotice problem={runNow.error ?? jobs.error} title="The job could not run" />
      {runOutcome ? (
        <Card withBorder padding="md" data-testid="run-outcome" aria-live="polite">
          <Group><StatusWord status={runOutcome.status} /><Text size="lg">Job {runOutcome.job} {runOutcome.status === 'succeeded' ? 'finished: the backup is stored and verified.' : 'did not finish.'}</Text></Group>
          {runOutcome.message ? <ProblemNotice problem={{ code: 'RUN', message: runOutcome.message, nextStep: 'See the Activity page for the failing phase and what to do.' }} /> : null}
        </Card>
      ) : null}
      <Table verticalSpacing="sm" fz="lg" aria-label="Jobs">
        <Table.Thead><Table.Tr><Table.Th>Job</Table.Th><Table.Th>Databases</Table.Th><Table.Th>Schedule</Table.Th><Table.Th>Next run</Table.Th><Table.Th>Encryption</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(jobs.data ?? []).map((j) => (
            <Table.Tr key={j.id}>
              <Table.Td fw={700}>{j.name}</Table.Td>
              <Table.Td>{j.databases.join(', ')}</Table.Td>
              <Table.Td>{j.schedule ?? 'by hand'}</Table.Td>
              <Table.Td>{j.nextRuns[0] ? when(j.nextRuns[0]) : '—'}</Table.Td>
              <Table.Td>{j.options.encryption === 'none' || !j.options.encryption ? 'none' : j.options.encryption}</Table.Td>
              <Table.Td><Button size="md" onClick={() => void runNow.run(j.name)} loading={runNow.busy} aria-label={`Run ${j.name} now`}>Run now</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Page>
  );
}
