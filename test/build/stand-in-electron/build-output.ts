// The `electron-vite build` output the bundle tests start, rebuilt when missing or older than its sources.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../../..')
export const OUT = join(ROOT, 'out')
export const MAIN_BUNDLE = join(OUT, 'main/index.js')
export const PRELOAD_BUNDLE = join(OUT, 'preload/index.js')
export const RENDERER_PAGE = join(OUT, 'renderer/index.html')

const OUTPUTS = [MAIN_BUNDLE, PRELOAD_BUNDLE, RENDERER_PAGE]
const SOURCES = ['src/main', 'src/core', 'src/preload', 'src/shared', 'src/renderer', 'electron.vite.config.ts', 'package.json']
const LOCK = join(tmpdir(), 'mimo-voice-bundle-tests-build.lock')

function newestMtime(path: string): number {
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), s.mtimeMs)
}

/** Why the output must be (re)built, or null when it is current. */
function staleReason(): string | null {
  const missing = OUTPUTS.find((f) => !existsSync(f))
  if (missing) return `${missing.slice(ROOT.length + 1)} is missing`
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs))
  const changed = SOURCES.find((s) => existsSync(join(ROOT, s)) && newestMtime(join(ROOT, s)) > built)
  return changed ? `${changed} changed after the last build` : null
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** Builds out/ when it is missing or stale; one build at a time across the test files. */
export function ensureBuilt(): void {
  const deadline = Date.now() + 180_000
  for (;;) {
    if (!staleReason()) return
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // Another test file is building: wait for it (a lock left by a killed run expires).
      const lock = statSync(LOCK, { throwIfNoEntry: false })
      if (lock && Date.now() - lock.mtimeMs > 120_000) rmdirSync(LOCK)
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK}`)
      sleep(200)
    }
  }
  try {
    const reason = staleReason()
    if (!reason) return
    console.log(`Building the app with electron-vite: ${reason}`)
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }
    })
  } finally {
    rmdirSync(LOCK)
  }
}
