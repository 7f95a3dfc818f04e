import { toolOutput } from '../../util/child.ts';

/**
 * Where removable disks are mounted now. Linux: every mount point lsblk reports (USB or not: the marker
 * decides, serials and labels are hints only). Windows: every volume's drive letter and folder access
 * path, from the storage cmdlets (wmic is gone from recent Windows 11; DriveType calls USB disks "fixed").
 */
export async function mountPoints(): Promise<string[]> {
  if (process.platform === 'win32') {
    const ps = 'Get-Volume | ForEach-Object { $_.Path } | ForEach-Object { (Get-CimInstance Win32_Volume | Where-Object DeviceID -eq $_).Name }';
    const out = await toolOutput('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps], { toolName: 'powershell' });
    return out.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  }
  const out = await toolOutput('lsblk', ['-J', '-o', 'NAME,TRAN,RM,MOUNTPOINT,UUID,LABEL,SERIAL'], { toolName: 'lsblk' });
  return parseLsblk(out);
}

interface LsblkDevice { mountpoint?: string | null; mountpoints?: (string | null)[]; children?: LsblkDevice[] }

export function parseLsblk(json: string): string[] {
  const doc = JSON.parse(json) as { blockdevices?: LsblkDevice[] };
  const out: string[] = [];
  const walk = (d: LsblkDevice) => {
    for (const m of [d.mountpoint, ...(d.mountpoints ?? [])]) {
      // The system disk is never a rotation disk, whatever a marker there says.
      if (m && m !== '/' && m !== '[SWAP]' && !m.startsWith('/boot') && !out.includes(m)) out.push(m);
    }
    d.children?.forEach(walk);
  };
  doc.blockdevices?.forEach(walk);
  return out;
}
