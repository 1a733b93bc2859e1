// scripts/security-scan.sh catches what it must: run on a small insecure app written in TypeScript.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'mimo-scan-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(file: string, text: string) {
  mkdirSync(join(dir, 'app', file, '..'), { recursive: true })
  writeFileSync(join(dir, 'app', file), text)
}

describe('security scan', () => {
  it('fails on HIGH and MEDIUM findings in TypeScript; a reviewed check is accepted only in its own file', () => {
    write(
      'main/window.ts',
      `import { BrowserWindow, shell } from 'electron'
interface Opened { url: string }
export function open(o: Opened): BrowserWindow {
  void shell.openExternal(o.url)
  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } })
}
`
    )
    write(
      'main/electron/security.ts',
      `import { shell } from 'electron'
export const openSource = (url: string): Promise<void> => shell.openExternal(url)
`
    )
    const r = spawnSync('bash', [join(root, 'scripts/security-scan.sh'), join(dir, 'app')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, SECURITY_SCAN_REPORT: join(dir, 'report.csv') }
    })
    const out = r.stdout + r.stderr
    expect(r.status, out).toBe(1)
    expect(out).toMatch(/HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK\s+main\/window\.ts:5:\d+\s+\[FAIL\]/)
    expect(out).toMatch(/MEDIUM\s+\S+\s+SANDBOX_JS_CHECK\s+main\/window\.ts:5:\d+\s+\[FAIL\]/)
    expect(out).toMatch(/PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK.*\[FAIL\]/)
    expect(out).toMatch(/OPEN_EXTERNAL_JS_CHECK\s+main\/window\.ts:4:\d+\s+\[FAIL\]/)
    expect(out).toMatch(/OPEN_EXTERNAL_JS_CHECK\s+main\/electron\/security\.ts:2:\d+\s+\[reviewed/)
    expect(out).toMatch(/0 files not parsed/)
    expect(readFileSync(join(dir, 'report.csv'), 'utf8')).toMatch(/^check,severity,.*\n"CONTEXT_ISOLATION_JS_CHECK","HIGH"/)
  }, 150_000)
})
