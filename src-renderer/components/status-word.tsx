import { Badge } from '@mantine/core';

// Status is never colour alone: every badge carries a symbol and a word.
const LOOK: Record<string, { icon: string; word: string; color: string }> = {
  ok: { icon: '\u2714', word: 'OK', color: 'green' },
  succeeded: { icon: '\u2714', word: 'Succeeded', color: 'green' },
  passed: { icon: '\u2714', word: 'Passed', color: 'green' },
  running: { icon: '\u21bb', word: 'Running', color: 'blue' },
  warning: { icon: '\u26a0', word: 'Warning', color: 'yellow' },
  partial: { icon: '\u26a0', word: 'Partial', color: 'yellow' },
  unprotected: { icon: '\u25cb', word: 'Unprotected', color: 'yellow' },
  unverified: { icon: '\u25cb', word: 'Not verified', color: 'gray' },
  approval: { icon: '\u26a0', word: 'Needs approval', color: 'yellow' },
  failing: { icon: '\u2716', word: 'Failing', color: 'red' },
  failed: { icon: '\u2716', word: 'Failed', color: 'red' },
  open: { icon: '\u26a0', word: 'Open', color: 'red' },
  acknowledged: { icon: '\u2713', word: 'Acknowledged', color: 'gray' },
  cleared: { icon: '\u2714', word: 'Cleared', color: 'green' },
};

export function StatusWord({ status, size = 'lg' }: { status: string; size?: 'md' | 'lg' | 'xl' }) {
  const look = LOOK[status] ?? { icon: '\u2022', word: status, color: 'gray' };
  return (
    <Badge size={size} color={look.color} variant="light" radius="sm" data-status={status}
      leftSection={<span aria-hidden="true">{look.icon}</span>} styles={{ root: { textTransform: 'none', overflow: 'visible', minWidth: 'max-content', flexShrink: 0, height: 'auto', paddingBlock: 4, fontSize: size === 'md' ? '0.95rem' : size === 'lg' ? '1.05rem' : '1.2rem' }, label: { overflow: 'visible', textOverflow: 'clip' } }}>
      {look.word}
    </Badge>
  );
}
