import type { Catalog } from '../catalog/catalog.ts';

/** Where the alert rules draw their lines; each is a catalog setting with a default. */
export interface AlertThresholds {
  /** A target with less free space than this raises "low on space". */
  lowSpaceBytes: number;
  /** A database rotating disks whose newest offline copy is older than this raises "No recent offline copy". */
  offlineCopyMaxAgeDays: number;
}

const SETTINGS: { [K in keyof AlertThresholds]: { key: string; fallback: number } } = {
  lowSpaceBytes: { key: 'alerts.lowSpaceBytes', fallback: 5 * 1024 ** 3 },
  // A fortnight: the usual weekly rotation, with a week's grace.
  offlineCopyMaxAgeDays: { key: 'alerts.offlineCopyMaxAgeDays', fallback: 14 },
};

export function readAlertThresholds(catalog: Catalog): AlertThresholds {
  const read = (k: keyof AlertThresholds) => {
    const v = Number(catalog.getSetting(SETTINGS[k].key));
    return Number.isFinite(v) && v > 0 ? v : SETTINGS[k].fallback;
  };
  return { lowSpaceBytes: read('lowSpaceBytes'), offlineCopyMaxAgeDays: read('offlineCopyMaxAgeDays') };
}

/** Stores the given thresholds; returns them before and after, for the audit trail. */
export function writeAlertThresholds(catalog: Catalog, patch: Partial<AlertThresholds>): { before: AlertThresholds; after: AlertThresholds } {
  const before = readAlertThresholds(catalog);
  for (const [k, v] of Object.entries(patch) as [keyof AlertThresholds, number | undefined][]) {
    if (v !== undefined) catalog.setSetting(SETTINGS[k].key, String(v));
  }
  return { before, after: readAlertThresholds(catalog) };
}
