import { Alert, Text } from '@mantine/core';
import type { ApiProblem } from '../api/client.ts';

/** An error as the agent worded it, and what to do next. */
export function ProblemNotice({ problem, title = 'That did not work' }: { problem: ApiProblem | null; title?: string }) {
  if (!problem) return null;
  return (
    <Alert color="red" role="alert" title={<span><span aria-hidden="true">{'\u2716 '}</span>{title}</span>} data-testid="problem">
      <Text size="md">{problem.message}</Text>
      <Text size="md" fw={700} mt="xs">Next step: {problem.nextStep}</Text>
    </Alert>
  );
}
