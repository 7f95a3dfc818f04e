import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Group, List, PasswordInput, Radio, Select, SimpleGrid, Stack, Stepper, Table, Text, TextInput, Title } from '@mantine/core';
import { Page } from '../components/page.tsx';
import { ProblemNotice } from '../components/problem-notice.tsx';
import { StatusWord } from '../components/status-word.tsx';
import { useApi, useApp } from '../store.ts';
import { useAction, useQuery } from '../use-query.ts';
import { problemOf, type Api, type ApiProblem } from '../api/client.ts';
import { bytes, duration, when } from '../format.ts';
import { defaultRestoreName, PHASE_WORDS } from './restore-names.ts';
import { PreflightView, type Preflight } from './preflight-view.tsx';

type Plan = Awaited<ReturnType<Api['ui']['restorePlan']['query']>>;
type Result = Awaited<ReturnType<Api['ui']['confirmedRestore']['mutate']>>;
type PointMode = 'latest' | 'set' | 'time';
type DestMode = 'new' | 'original' | 'other';

const TYPE_WORD: Record<string, string> = { full: 'Full', diff: 'Differential', log: 'Log', 'copy-only': 'Copy-only' };

/**
 * The guided restore: database → point → destination → pre-flight → confirmation → progress, checks and
 * summary. Nothing is written before the confirmation step; pre-flight runs the restore's own integrity gate.
 */
export function RestoreWizard() {
  const api = useApi();
  const handed = useApp((s) => s.restoreDatabase);
  const [step, setStep] = useState(0);
  const [db, setDb] = useState<string | null>(handed ? `${handed.server}\u0000${handed.database}` : null);
  const [pointMode, setPointMode] = useState<PointMode>('latest');
  const [setId, setSetId] = useState<string | null>(null);
  const [at, setAt] = useState('');
  const [destMode, setDestMode] = useState<DestMode>('new');
  const [newName, setNewName] = useState('');
  const [otherSource, setOtherSource] = useState<string | null>(null);
  const [plan, setPlan] = useState<{ plan: Plan | null; problem: ApiProblem | null } | null>(null);
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const [typed, setTyped] = useState('');
  const [signer, setSigner] = useState({ user: '', password: '', reason: '' });
  const [phases, setPhases] = useState<string[]>([]);
  const [result, setResult] = useState<Result | null>(null);

  const sets = useQuery(() => api.sets.list.query({}));
  const sources = useQuery(() => api.sources.list.query());
  const board = useQuery(() => api.status.dashboard.query());
  const history = useQuery(() => api.ui.restores.query({ limit: 10 }), [result]);
  const confirmation = useQuery(() => api.ui.restoreConfirmation.query());
  const signed = confirmation.data?.signature === true;
  const [server, database] = (db ?? '\u0000').split('\u0000') as [string, string];
  const databases = useMemo(() => {
    const seen = new Map<string, { value: string; label: string }>();
    for (const s of sets.data ?? []) seen.set(`${s.server}\u0000${s.database}`, { value: `${s.server}\u0000${s.database}`, label: `${s.database} on ${s.server}` });
    return [...seen.values()];
  }, [sets.data]);
  const dbSets = (sets.data ?? []).filter((s) => s.server === server && s.database === database);
  const atIso = at ? new Date(at).toISOString() : undefined;
  const point = { database, server, ...(pointMode === 'set' && setId ? { setId } : {}), ...(pointMode === 'time' && atIso ? { at: atIso } : {}) };
  const destination = destMode === 'original' ? database : newName;
  const destSource = destMode === 'other' ? otherSource ?? undefined : undefined;
  const rto = board.data?.databases.find((d) => d.server === server && d.database === database)?.rtoSeconds ?? null;

  useEffect(() => { if (database) setNewName(defaultRestoreName(database)); }, [database]);
  useEffect(() => {
    if (!database || step !== 1) return;
    if (pointMode === 'set' && !setId) return;
    if (pointMode === 'time' && !atIso) return;
    setPlan(null);
    api.ui.restorePlan.query(point).then((p) => setPlan({ plan: p, problem: null }), (e: unknown) => setPlan({ plan: null, problem: problemOf(e) }));
    // `point` is rebuilt every render from the values listed here.
  }, [api, database, server, pointMode, setId, atIso, step]);

  const check = useAction(async () => {
    setPreflight(null);
    setPreflight(await api.ui.preflight.mutate({ ...point, ...(destSource ? { sourceName: destSource } : {}), ...(destMode === 'original' ? { overwrite: true } : { as: destination }) }));
  });
  // Entering the pre-flight step runs the checks; leaving and coming back runs them again.
  useEffect(() => { if (step === 3) void check.run(); }, [step]);

  const runIdRef = useRef<string | null>(null);
  const restore = useAction(async () => {
    setPhases([]);
    setResult(null);
    runIdRef.current = null;
    // Progress arrives as events; the restore's run is the one that starts for this database. The stream
    // must be open before the restore starts, or its first events would be missed.
    let started!: () => void;
    const open = new Promise<void>((r) => { started = r; });
    const sub = api.events.runs.subscribe({}, {
      onStarted: () => started(),
      onData: (e) => {
        const ev = e as { type: string; runId?: string; kind?: string; database?: string | null; phase?: string };
        if (ev.type === 'run.started' && ev.kind === 'restore' && ev.database === database && !runIdRef.current) runIdRef.current = ev.runId ?? null;
        if (ev.type === 'run.progress' && ev.runId === runIdRef.current && ev.phase) setPhases((p) => (p.includes(ev.phase!) ? p : [...p, ev.phase!]));
      },
    });
    await Promise.race([open, new Promise((r) => setTimeout(r, 5000))]);
    try {
      const r = await api.ui.confirmedRestore.mutate({
        ...point, ...(destSource ? { sourceName: destSource } : {}), ...(destMode === 'original' ? { overwrite: true } : { as: destination }),
        confirmName: typed, ...(signed ? { signature: signer } : {}),
      });
      setSigner((x) => ({ ...x, password: '' }));
      setResult(r);
      return r;
    } finally {
      sub.unsubscribe();
    }
  });

  const canNext = [
    Boolean(db),
    Boolean(plan?.plan && !plan.plan.gap && plan.plan.sets.length),
    destMode === 'original' || (/^[\w-]{1,63}$/.test(newName) && (destMode !== 'other' || Boolean(otherSource))),
    Boolean(preflight?.ok),
    typed === destination && (!signed || (signer.user !== '' && signer.password !== '' && signer.reason.trim().length >= 3)),
  ];

  return (
    <Page title="Restore" intro="Get a database back, step by step. Nothing is changed before you confirm.">
      <Stepper active={step} onStepClick={(s) => { if (s < step && !restore.busy && !result) setStep(s); }} size="md" allowNextStepsSelect={false}>
        <Stepper.Step label="Database" description={database || 'choose'}>
          <Card withBorder padding="lg">
            <Select label="Which database?" size="lg" placeholder="Choose a database" data={databases} value={db} onChange={(v) => { setDb(v); setSetId(null); setPlan(null); }} searchable allowDeselect={false} />
            {sets.data && databases.length === 0 ? <Text mt="md" size="lg">There are no backups to restore yet. Next step: run a job on the Jobs page.</Text> : null}
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Point" description={pointMode === 'latest' ? 'latest' : pointMode === 'set' ? 'a chosen set' : 'a time'}>
          <Card withBorder padding="lg">
            <Radio.Group label={<Text size="lg" fw={700}>Restore to which point?</Text>} value={pointMode} onChange={(v) => setPointMode(v as PointMode)}>
              <Stack mt="sm">
                <Radio size="md" value="latest" label="The latest backup" />
                <Radio size="md" value="set" label="A backup I choose" />
                <Radio size="md" value="time" label="A point in time" />
              </Stack>
            </Radio.Group>
            {pointMode === 'set' ? (
              <Select mt="md" label="Backup set" value={setId} onChange={setSetId} allowDeselect={false}
                data={[...dbSets].reverse().map((s) => ({ value: s.id, label: `${when(s.finishedAt)} — ${TYPE_WORD[s.type] ?? s.type}, ${bytes(s.bytes)}` }))} />
            ) : null}
            {pointMode === 'time' ? <TextInput mt="md" type="datetime-local" step={1} label="Restore the database as it was at" value={at} onChange={(e) => setAt(e.currentTarget.value)} /> : null}
            <ProblemNotice problem={plan?.problem ?? null} title="No restore plan for that point" />
            {plan?.plan ? (
              <Stack mt="md" aria-label="Chain to restore" data-testid="restore-chain">
                <Text size="lg" fw={700}>The restore will read, in order:</Text>
                <List type="ordered" size="lg">
                  {plan.plan.sets.map((s) => <List.Item key={s.id}>{TYPE_WORD[s.type] ?? s.type} backup of {when(s.finishedAt)} ({bytes(s.bytes)}; {s.artifacts.join(', ')}; {s.copies} {s.copies === 1 ? 'copy' : 'copies'})</List.Item>)}
                </List>
                {plan.plan.gap ? <Alert color="red" role="alert" title={<span><span aria-hidden="true">{'\u2716 '}</span>Gap in the chain</span>}><Text size="lg">{plan.plan.gap}</Text><Text size="lg" fw={700}>Next step: choose an earlier point.</Text></Alert> : null}
              </Stack>
            ) : null}
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Destination" description={destMode === 'original' ? 'over the original' : destination}>
          <Card withBorder padding="lg">
            <Radio.Group label={<Text size="lg" fw={700}>Restore where?</Text>} value={destMode} onChange={(v) => setDestMode(v as DestMode)}>
              <Stack mt="sm">
                <Radio size="md" value="new" label={`As a new database on ${server} (recommended)`} />
                <Radio size="md" value="original" label={`Over the original ${database} — a safety backup of it is taken first`} />
                <Radio size="md" value="other" label="On another server" />
              </Stack>
            </Radio.Group>
            {destMode === 'other' ? <Select mt="md" label="Server" value={otherSource} onChange={setOtherSource} allowDeselect={false} data={(sources.data ?? []).map((s) => s.name)} /> : null}
            {destMode !== 'original' ? <TextInput mt="md" size="lg" label="New database name" value={newName} onChange={(e) => setNewName(e.currentTarget.value)} error={/^[\w-]{1,63}$/.test(newName) ? undefined : 'Use 1 to 63 letters, digits, "_" or "-"'} /> : (
              <Alert mt="md" color="yellow" title={<span><span aria-hidden="true">{'\u26a0 '}</span>The current {database} will be replaced</span>}>
                <Text size="lg">Lifeboat backs it up first, restores under a temporary name, checks it, and only then swaps it in. Users of {database} are disconnected during the swap.</Text>
              </Alert>
            )}
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Pre-flight" description="checks">
          <Card withBorder padding="lg">
            {check.busy ? <Text size="lg">{'\u21bb'} Checking the server, the space and every file the restore needs…</Text> : null}
            <ProblemNotice problem={check.error} title="The checks could not run" />
            {preflight ? <PreflightView result={preflight} /> : null}
            <Group mt="md"><Button variant="light" onClick={() => void check.run()} loading={check.busy}>Run the checks again</Button></Group>
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Confirm" description="type the name">
          <Card withBorder padding="lg">
            <Title order={2} size="h3">You are about to restore</Title>
            <List size="lg" mt="sm">
              <List.Item>Database: <b>{database}</b> from {server}</List.Item>
              <List.Item>Point: {pointMode === 'latest' ? 'the latest backup' : pointMode === 'set' ? `the set of ${when(dbSets.find((s) => s.id === setId)?.finishedAt)}` : when(atIso)}</List.Item>
              <List.Item>Reading {plan?.plan?.sets.length ?? 0} set(s): {plan?.plan?.sets.map((s) => TYPE_WORD[s.type] ?? s.type).join(' → ')}</List.Item>
              <List.Item>Into: <b>{destination}</b> on {destSource ?? server}{destMode === 'original' ? ' (replacing it after a safety backup)' : ' (a new database)'}</List.Item>
            </List>
            <TextInput mt="lg" size="lg" label={`Type ${destination} to confirm`} description="Lifeboat records who confirmed the restore in its history." value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
            {signed ? (
              <Stack mt="md" aria-label="Electronic signature">
                <Text size="lg" fw={700}>Sign the restore: enter your user name and password again, and why you restore.</Text>
                <SimpleGrid cols={2}>
                  <TextInput size="lg" label="User name" value={signer.user} onChange={(e) => setSigner({ ...signer, user: e.currentTarget.value })} autoComplete="username" />
                  <PasswordInput size="lg" label="Password" value={signer.password} onChange={(e) => setSigner({ ...signer, password: e.currentTarget.value })} autoComplete="current-password" />
                </SimpleGrid>
                <TextInput size="lg" label="Reason" description="Kept with the signature in the audit trail" value={signer.reason} onChange={(e) => setSigner({ ...signer, reason: e.currentTarget.value })} />
              </Stack>
            ) : <Text mt="sm" c="dimmed">No Lifeboat users are set up, so the restore is confirmed by typing the name. Set up users to have restores signed with a password.</Text>}
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Restore" description="progress and checks">
          <Card withBorder padding="lg" aria-live="polite">
            <Title order={2} size="h3" mb="sm">Progress</Title>
            <List size="lg" aria-label="Restore phases" data-testid="restore-phases">
              {phases.map((p, i) => <List.Item key={p} icon={<span aria-hidden="true">{i < phases.length - 1 || result ? '\u2714' : '\u21bb'}</span>}>{PHASE_WORDS[p] ?? p}{i < phases.length - 1 || result ? ' — done' : ' …'}</List.Item>)}
            </List>
            {restore.busy && phases.length === 0 ? <Text size="lg">{'\u21bb'} Starting…</Text> : null}
            <ProblemNotice problem={restore.error} title="The restore did not finish" />
            {result ? <RestoreSummary result={result} rto={rto} /> : null}
          </Card>
          {history.data ? (
            <Card withBorder padding="lg" mt="md" aria-label="Restore history">
              <Title order={2} size="h3" mb="sm">Restore history</Title>
              <Table fz="md">
                <Table.Thead><Table.Tr><Table.Th>Started</Table.Th><Table.Th>Database</Table.Th><Table.Th>Into</Table.Th><Table.Th>Result</Table.Th><Table.Th>Took</Table.Th><Table.Th>By</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {history.data.map((h) => <Table.Tr key={h.id}><Table.Td>{when(h.startedAt)}</Table.Td><Table.Td>{h.database ?? '—'}</Table.Td><Table.Td>{h.destination}</Table.Td><Table.Td><StatusWord status={h.status} size="md" /></Table.Td><Table.Td>{h.durationMs !== null ? duration(h.durationMs / 1000) : '—'}</Table.Td><Table.Td>{h.requestedBy}</Table.Td></Table.Tr>)}
                </Table.Tbody>
              </Table>
            </Card>
          ) : null}
        </Stepper.Step>
      </Stepper>
      <Group justify="space-between" mt="md">
        <Button variant="default" size="lg" disabled={step === 0 || restore.busy || Boolean(result)} onClick={() => setStep(step - 1)}>Back</Button>
        {step < 4 ? <Button size="lg" disabled={!canNext[step] || check.busy} onClick={() => setStep(step + 1)}>Next</Button> : null}
        {step === 4 ? <Button size="lg" color="red" disabled={!canNext[4]} onClick={() => { setStep(5); void restore.run(); }}>Start restore</Button> : null}
        {step === 5 && (result || restore.error) ? <Button size="lg" variant="light" onClick={() => { setStep(0); setResult(null); setPreflight(null); setTyped(''); restore.clear(); }}>Start another restore</Button> : null}
      </Group>
    </Page>
  );
}

function RestoreSummary({ result, rto }: { result: Result; rto: number | null }) {
  const bad = result.probes.filter((p) => !p.ok);
  const secs = result.durationMs / 1000;
  return (
    <Stack mt="md" data-testid="restore-summary">
      <Alert color={bad.length ? 'yellow' : 'green'} title={<span><span aria-hidden="true">{bad.length ? '\u26a0 ' : '\u2714 '}</span>{bad.length ? 'Restored, but the row counts differ' : `Restored into ${result.destination}`}</span>}>
        <Text size="lg">Took {duration(secs)}{rto ? ` — the objective is ${duration(rto)}: ${secs <= rto ? 'met' : 'missed'}` : ''}. Read from the copy on {result.copyTarget}.{result.safetySetId ? ' A safety backup of the replaced database was kept.' : ''}</Text>
        <Text size="lg">This restore is kept in the history below and in the audit trail.</Text>
      </Alert>
      <Title order={3}>Post-restore checks</Title>
      {result.probes.length === 0 ? <Text size="lg">The backup recorded no row counts to compare.</Text> : (
        <Table fz="lg" aria-label="Post-restore checks">
          <Table.Thead><Table.Tr><Table.Th>Table</Table.Th><Table.Th>Rows in the backup</Table.Th><Table.Th>Rows restored</Table.Th><Table.Th>Result</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {result.probes.map((p) => <Table.Tr key={`${p.schema}.${p.table}`}><Table.Td>{p.schema}.{p.table}</Table.Td><Table.Td>{p.expected}</Table.Td><Table.Td>{p.actual}</Table.Td><Table.Td><StatusWord status={p.ok ? 'passed' : 'failed'} size="md" /></Table.Td></Table.Tr>)}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
