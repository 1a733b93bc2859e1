/**
 * What the browser loads: the built renderer (`npm run build:app` -> out/renderer, rebuilt when missing
 * or older than its sources) and the bridge script (test/e2e/bridge-client.ts bundled into one
 * classic script with vite, in memory).
 */
import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const exec = promisify(execFile)
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const RENDERER_DIR = path.join(ROOT, 'out/renderer')
const SOURCES = ['src/renderer', 'src/shared'].map((d) => path.join(ROOT, d))

async function newestMtime(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs)
  }
  return newest
}

/**
 * Builds the app when out/renderer is missing or older than the renderer's sources. MIMO_E2E_RENDERER_DIR
 * names another, already built renderer folder to serve instead (nothing is built then).
 */
export async function ensureRendererBuilt(log: (m: string) => void = () => {}): Promise<string> {
  const chosen = process.env.MIMO_E2E_RENDERER_DIR?.trim()
  if (chosen) {
    const dir = path.resolve(chosen)
    await stat(path.join(dir, 'index.html')).catch(() => {
      throw new Error(`MIMO_E2E_RENDERER_DIR=${chosen} holds no index.html`)
    })
    return dir
  }
  const built = await stat(path.join(RENDERER_DIR, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0
  )
  const sources = Math.max(...(await Promise.all(SOURCES.map(newestMtime))))
  if (built >= sources) return RENDERER_DIR
  log(built ? 'out/renderer is older than its sources: npm run build:app' : 'out/renderer is missing: npm run build:app')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  try {
    await exec(npm, ['run', '--silent', 'build:app'], { cwd: ROOT, timeout: 180_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string }
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n')
    throw new Error(`npm run build:app failed, so there is no current window to test:\n${tail}`)
  }
  return RENDERER_DIR
}

let bridgeScript: Promise<string> | undefined

/** test/e2e/bridge-client.ts as one self-contained classic script (for addInitScript). */
export function bundleBridgeClient(): Promise<string> {
  bridgeScript ??= (async () => {
    const { build } = await import('vite')
    const out = await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      build: {
        write: false,
        minify: false,
        emptyOutDir: false,
        copyPublicDir: false,
        lib: { entry: path.join(ROOT, 'test/e2e/bridge-client.ts'), formats: ['iife'], name: 'mimoVoiceBridge', fileName: () => 'bridge.js' }
      }
    })
    const outputs = (Array.isArray(out) ? out : [out]) as Array<{ output?: Array<{ type: string; code?: string }> }>
    const chunk = outputs.flatMap((o) => o.output ?? []).find((c) => c.type === 'chunk')
    if (!chunk?.code) throw new Error('vite produced no bridge script')
    return chunk.code
  })()
  return bridgeScript
}
