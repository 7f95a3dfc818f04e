// The repository's ESLint flat config. Besides a few correctness rules it holds the house's two import
// boundaries (DESIGN §1, issue 6): core/ never touches Electron or the renderer, and the renderer reaches
// the rest of the repository only through type imports from src-main/api/.
import path from 'node:path';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const RENDERER = path.join(ROOT, 'src-renderer');
const CORE = path.join(ROOT, 'src-main', 'core');
const API = path.join(ROOT, 'src-main', 'api');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);
const isElectron = (spec) => spec === 'electron' || spec.startsWith('electron/');

/** Every import-like statement of a file, with whether it brings in types only. */
function eachImport(context, check) {
  const typeOnly = (node) => node.importKind === 'type' || node.exportKind === 'type'
    || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
  const visit = (node) => { if (node.source && typeof node.source.value === 'string') check(node, node.source.value, typeOnly(node)); };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: (node) => { if (node.source.type === 'Literal' && typeof node.source.value === 'string') check(node, node.source.value, false); },
    TSImportType: () => undefined,
  };
}

const boundaries = {
  rules: {
    'renderer-imports': {
      meta: { type: 'problem', messages: { outside: "the renderer may import only inside src-renderer/ and types from src-main/api/ ('{{spec}}'); reach the agent through src-renderer/api/client.ts", platform: "the renderer runs in a sandboxed page: '{{spec}}' is not available there; ask the agent through the API instead" } },
      create(context) {
        const dir = path.dirname(context.filename);
        return eachImport(context, (node, spec, typeOnly) => {
          if (isElectron(spec) || NODE_BUILTINS.has(spec)) return context.report({ node, messageId: 'platform', data: { spec } });
          if (!spec.startsWith('.') && !path.isAbsolute(spec)) return;
          const target = path.resolve(dir, spec);
          if (inside(target, RENDERER)) return;
          if (typeOnly && inside(target, API)) return;
          context.report({ node, messageId: 'outside', data: { spec } });
        });
      },
    },
    'core-imports': {
      meta: { type: 'problem', messages: { electron: "core/ runs in the agent and the CLI, which have no Electron: do not import '{{spec}}' here (use src-main/shell/)", renderer: "core/ must not depend on the renderer ('{{spec}}')" } },
      create(context) {
        const dir = path.dirname(context.filename);
        return eachImport(context, (node, spec) => {
          if (isElectron(spec)) return context.report({ node, messageId: 'electron', data: { spec } });
          if ((spec.startsWith('.') || path.isAbsolute(spec)) && inside(path.resolve(dir, spec), RENDERER)) context.report({ node, messageId: 'renderer', data: { spec } });
        });
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'coverage/**', 'test-results/**', 'bench/out/**', 'release/**'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { lifeboat: boundaries, '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  { files: ['src-renderer/**/*.{ts,tsx}'], rules: { 'lifeboat/renderer-imports': 'error' } },
  { files: ['src-main/core/**/*.ts'], rules: { 'lifeboat/core-imports': 'error' } },
);
