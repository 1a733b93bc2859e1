import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// Lints a virtual file at a real place in the tree with the project's own config:
// each layer rule must fire on a bad import and stay quiet on a good one.
const eslint = new ESLint({ cwd: process.cwd() })

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message)
}

describe('layer rules', () => {
  it.each([
    ['src/core/assistant/bad.ts', "import { x } from '../../main/app'"],
    ['src/core/bad.ts', "import { x } from '../cli/run'"],
    ['src/core/audio/bad.ts', "import { x } from '../../renderer/src/app'"],
    ['src/core/bad.ts', "import { app } from 'electron'"],
    ['src/core/bad.ts', "import type { App } from 'electron'"],
    ['src/shared/bad.ts', "import { readFile } from 'node:fs'"],
    ['src/shared/bad.ts', "import { join } from 'path'"],
    ['src/shared/bad.ts', "import { x } from '../core/ports'"],
    ['src/shared/bad.ts', "import { render } from 'react-dom'"],
    ['src/renderer/src/bad.ts', "import { x } from '../../core/ports'"],
    ['src/renderer/src/talk/bad.tsx', "import { x } from '../../../main/app'"],
    ['src/renderer/src/bad.ts', "import { readFile } from 'node:fs'"],
    ['src/renderer/src/bad.ts', "import { ipcRenderer } from 'electron'"],
    ['src/renderer/src/bad.ts', "import { x } from '../../preload/api'"],
    ['src/preload/bad.ts', "import { x } from '../core/ports'"],
    ['src/preload/bad.ts', "import { x } from '../main/ipc-handlers'"],
    ['src/preload/bad.ts', "import { spawn } from 'node:child_process'"],
    ['src/cli/bad.ts', "import { x } from '../main/app'"],
    ['src/cli/bad.ts', "import { app } from 'electron'"],
    ['src/main/bad.ts', "import { x } from '../cli/run'"],
    ['src/main/bad.ts', "import { app } from 'electron'"],
    ['src/main/electron/bad.ts', "import { x } from '../../renderer/src/app'"]
  ])('%s: refuses %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\n`)).not.toEqual([])
  })

  it.each([
    ['src/core/assistant/good.ts', "import { x } from '../../shared/ipc'"],
    ['src/core/good.ts', "import { readFile } from 'node:fs'"],
    ['src/shared/good.ts', "import { z } from 'zod'"],
    ['src/shared/good.ts', "import { x } from './settings'"],
    ['src/renderer/src/good.tsx', "import { x } from '../../shared/ipc'"],
    ['src/renderer/src/good.tsx', "import { useState } from 'react'"],
    ['src/preload/good.ts', "import { contextBridge } from 'electron'"],
    ['src/preload/good.ts', "import { x } from '../shared/ipc'"],
    ['src/main/good.ts', "import { x } from '../core/ports'"],
    ['src/main/electron/good.ts', "import { app } from 'electron'"],
    ['src/main/good.ts', "import type { App } from 'electron'"],
    ['src/cli/good.ts', "import { x } from '../core/ports'"]
  ])('%s: allows %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\n`)).toEqual([])
  })
})
