// @ts-check
const { builtinModules } = require('node:module')
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const reactHooks = require('eslint-plugin-react-hooks')
const globals = require('globals')

/*
 * The layers of the house (docs/architecture.md), enforced here. Each folder may import:
 *   src/shared    itself and zod: no Node, no Electron, no other layer (both processes load it)
 *   src/core      shared, Node and libraries: never main, cli, renderer, preload or electron
 *   src/main      core and shared; 'electron' only at the edge (src/main/electron, src/main/index.ts)
 *   src/cli       core and shared; never electron
 *   src/preload   shared and electron
 *   src/renderer  shared and itself; no Node, no Electron
 * test/lint/layers.test.ts proves each rule fires on a bad import.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
/** A relative import that climbs into one of these top-level folders of src/. */
const into = (...layers) => ({
  regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`,
  message: `This layer may not import src/${layers.length > 1 ? `{${layers.join(',')}}` : layers[0]} (see docs/architecture.md, "Layers").`
})
const noElectron = (allowTypeImports) => ({
  name: 'electron',
  allowTypeImports,
  message: "Run-time 'electron' imports belong in src/main/electron, src/main/index.ts or src/preload. Pass the Electron object in through a port."
})
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Node modules are not available in this layer (it runs in the window or in both processes).' }))
const restrict = (options) => ({ '@typescript-eslint/no-restricted-imports': ['error', options] })

module.exports = tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      ...restrict({ paths: [noElectron(true)] })
    }
  },
  { files: ['src/core/**'], rules: restrict({ paths: [noElectron(false)], patterns: [into('main', 'cli', 'renderer', 'preload')] }) },
  {
    files: ['src/shared/**'],
    rules: restrict({
      patterns: [{ regex: '^(?!\\./|zod$)', message: 'src/shared imports only itself and zod: both processes load it (see docs/architecture.md, "Layers").' }]
    })
  },
  { files: ['src/main/**'], rules: restrict({ paths: [noElectron(true)], patterns: [into('cli', 'renderer', 'preload')] }) },
  { files: ['src/main/electron/**', 'src/main/index.ts'], rules: restrict({ patterns: [into('cli', 'renderer', 'preload')] }) },
  { files: ['src/cli/**'], rules: restrict({ paths: [noElectron(false)], patterns: [into('main', 'renderer', 'preload')] }) },
  { files: ['src/preload/**'], rules: restrict({ paths: noNode, patterns: [into('main', 'core', 'cli', 'renderer')] }) },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict({ paths: [...noNode, noElectron(false)], patterns: [into('main', 'core', 'cli', 'preload')] })
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' }
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } }
)
