import type { ReactNode } from 'react';
import { Group, Stack, Title, Text } from '@mantine/core';

export function Page({ title, intro, actions, children }: { title: string; intro?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="lg" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{title}</Title>
          {intro ? <Text c="dimmed" size="lg">{intro}</Text> : null}
        </div>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}
