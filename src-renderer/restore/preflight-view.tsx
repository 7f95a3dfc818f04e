import { Alert, Stack, Table, Text } from '@mantine/core';
import { StatusWord } from '../components/status-word.tsx';
import type { Api } from '../api/client.ts';

export type Preflight = Awaited<ReturnType<Api['ui']['preflight']['mutate']>>;

const CHECK_WORDS: Record<string, string> = {
  chain: 'Backup chain', connectivity: 'Destination server', versions: 'Versions', destination: 'Destination name', space: 'Free space', integrity: 'Integrity of every file',
};

export function PreflightView({ result }: { result: Preflight }) {
  const failed = result.checks.filter((c) => !c.ok);
  return (
    <Stack>
      {failed.length ? (
        <Alert color="red" role="alert" data-testid="preflight-stop" title={<span><span aria-hidden="true">{'\u2716 '}</span>Pre-flight stopped the restore</span>}>
          {failed.map((c) => (
            <div key={c.name}>
              <Text size="lg" fw={700}>{CHECK_WORDS[c.name]}: {c.detail}</Text>
              {c.nextStep ? <Text size="lg">Next step: {c.nextStep}</Text> : null}
            </div>
          ))}
        </Alert>
      ) : (
        <Alert color="green" data-testid="preflight-pass" title={<span><span aria-hidden="true">{'\u2714 '}</span>All pre-flight checks passed</span>}>
          <Text size="lg">Nothing has been changed yet.</Text>
        </Alert>
      )}
      <Table fz="lg" verticalSpacing="sm" aria-label="Pre-flight checks">
        <Table.Thead><Table.Tr><Table.Th>Check</Table.Th><Table.Th>Result</Table.Th><Table.Th>Detail</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {result.checks.map((c) => (
            <Table.Tr key={c.name}><Table.Td fw={700}>{CHECK_WORDS[c.name] ?? c.name}</Table.Td><Table.Td><StatusWord status={c.ok ? 'passed' : 'failed'} size="md" /></Table.Td><Table.Td>{c.detail}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Table fz="md" aria-label="Files needed">
        <Table.Thead><Table.Tr><Table.Th>File</Table.Th><Table.Th>On target</Table.Th><Table.Th>Result</Table.Th><Table.Th>Problem</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {result.files.map((f) => (
            <Table.Tr key={`${f.setId}/${f.target}/${f.file}`}><Table.Td>{f.file}</Table.Td><Table.Td>{f.target}</Table.Td><Table.Td><StatusWord status={f.ok ? 'passed' : 'failed'} size="md" /></Table.Td><Table.Td>{f.problem ?? ''}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
