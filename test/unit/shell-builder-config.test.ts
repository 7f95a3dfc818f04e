import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

// electron-builder's own dependencies: the YAML reader and the schema validator it uses itself.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
type AjvInstance = { validate(schema: unknown, data: unknown): boolean; errors: unknown; errorsText(errors: unknown): string };
const Ajv = (require('ajv') as { default: new (opts: { strict: boolean; allErrors: boolean }) => AjvInstance }).default;

// electron-builder cannot package here (it fetches its tools from GitHub); what can be checked is checked:
// the config against electron-builder's own schema, the targets, that nothing calls out for updates, and
// that every resource it ships exists.
const ROOT = path.resolve(import.meta.dirname, '../..');
const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder\u2019s schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, config);
    expect(ajv.errorsText(ajv.errors), 'schema errors').toBe('No errors');
    expect(valid).toBe(true);
  });

  it('builds a Windows installer and portable, and a Linux AppImage and deb', () => {
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis', 'portable']);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage', 'deb']);
  });

  it('never checks for updates', () => {
    expect(config.publish).toBeNull();
    const shellFiles = fs.readdirSync(path.join(ROOT, 'src-main/shell')).map((f) => fs.readFileSync(path.join(ROOT, 'src-main/shell', f), 'utf8'));
    expect(shellFiles.filter((s) => /autoUpdater|electron-updater|checkForUpdates/.test(s))).toEqual([]);
  });

  it('ships resources that exist: the three tray states and the icon', () => {
    for (const r of config.extraResources as { from: string }[]) expect(fs.existsSync(path.join(ROOT, r.from)), r.from).toBe(true);
    for (const c of ['green', 'amber', 'red']) {
      const png = fs.readFileSync(path.join(ROOT, 'resources/tray', `tray-${c}.png`));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(32);
    }
    expect(fs.existsSync(path.join(ROOT, config.win.icon))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).main).toBe('dist/shell/main.js');
  });
});
