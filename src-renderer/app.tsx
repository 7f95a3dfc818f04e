import { useEffect } from 'react';
import { AppShell, Group, NavLink, Text, Title, Loader, Center, Stack, Alert } from '@mantine/core';
import { agentAddress, createApi } from './api/client.ts';
import { PAGES, pageFromHash, useApp, type Page } from './store.ts';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { SourcesPage } from './pages/sources-page.tsx';
import { TargetsPage } from './pages/targets-page.tsx';
import { JobsPage } from './pages/jobs-page.tsx';
import { BackupsPage } from './pages/backups-page.tsx';
import { RestoreWizard } from './restore/restore-wizard.tsx';
import { ActivityPage } from './pages/activity-page.tsx';
import { AlertsPage } from './pages/alerts-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';

const LABELS: Record<Page, string> = {
  dashboard: 'Dashboard', sources: 'Sources', targets: 'Targets', jobs: 'Jobs', backups: 'Backups',
  restore: 'Restore', activity: 'Activity', alerts: 'Alerts', settings: 'Settings',
};

const VIEWS: Record<Page, () => React.JSX.Element> = {
  dashboard: DashboardPage, sources: SourcesPage, targets: TargetsPage, jobs: JobsPage, backups: BackupsPage,
  restore: RestoreWizard, activity: ActivityPage, alerts: AlertsPage, settings: SettingsPage,
};

function useAgentConnection(): void {
  const { setApi, setConnection, bump } = useApp.getState();
  useEffect(() => {
    let unsub: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      const addr = await agentAddress();
      if (!addr) { setConnection('no-token'); return; }
      const api = createApi(addr);
      try {
        await api.status.agent.query();
        setApi(api);
        setConnection('connected');
      } catch {
        setConnection('lost');
        return;
      }
      // Several events arrive per run; one reload after they settle is enough.
      const sub = api.events.status.subscribe(undefined, {
        onData: () => { clearTimeout(timer); timer = setTimeout(bump, 250); },
        onError: () => setConnection('lost'),
        onStarted: () => setConnection('connected'),
      });
      unsub = () => sub.unsubscribe();
    })();
    const onHash = () => useApp.setState({ page: pageFromHash(window.location.hash) });
    window.addEventListener('popstate', onHash);
    return () => { unsub?.(); clearTimeout(timer); window.removeEventListener('popstate', onHash); };
  }, [setApi, setConnection, bump]);
}

/** Alt+1 … Alt+9 jump to the pages in menu order, for keyboard-only work at a plant workstation. */
function useShortcuts(go: (p: Page) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= PAGES.length) { e.preventDefault(); go(PAGES[n - 1]!); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
}

export function App() {
  useAgentConnection();
  const { api, connection, page, go } = useApp();
  useShortcuts(go);
  const View = VIEWS[page];
  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 230, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between">
          <Title order={2} size="h3"><span aria-hidden="true">{'\u2693 '}</span>Lifeboat</Title>
          <Text size="lg" data-testid="connection" fw={600}>
            {connection === 'connected' ? '\u2714 Connected to the agent' : connection === 'connecting' ? '\u21bb Connecting…' : '\u2716 Not connected'}
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label="Pages">
        {PAGES.map((p, i) => (
          <NavLink key={p} component="button" label={<Text size="lg" fw={page === p ? 700 : 500}>{LABELS[p]}</Text>}
            description={`Alt+${i + 1}`} active={page === p} aria-current={page === p ? 'page' : undefined}
            onClick={() => go(p)} py="sm" />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {api ? <View key={page} /> : <Disconnected state={connection} />}
      </AppShell.Main>
    </AppShell>
  );
}

function Disconnected({ state }: { state: string }) {
  if (state === 'connecting') return <Center h={300}><Loader size="xl" aria-label="Connecting to the agent" /></Center>;
  return (
    <Stack maw={700}>
      <Alert color="red" role="alert" title={<span><span aria-hidden="true">{'\u2716 '}</span>The console cannot reach the Lifeboat agent</span>}>
        <Text size="lg">{state === 'no-token'
          ? 'This page was opened without its access token.'
          : 'The agent did not answer at this address.'}</Text>
        <Text size="lg" fw={700} mt="sm">Next step: open the address that "lifeboat serve" printed (it ends with #token=…), or open Lifeboat from the tray icon.</Text>
      </Alert>
    </Stack>
  );
}
