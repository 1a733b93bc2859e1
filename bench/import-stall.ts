/**
 * What a file import costs the process that serves the window: the app's core services and handler map
 * (no Electron), a voice sample imported through the IPC dispatcher as the window sends it.
 *
 *   npm run bench:import          (RUNS=5 by default)
 *
 * Reports, for a 60 MB WAV (the import limit: about five and a half minutes of 48 kHz stereo), the
 * event-loop delay measured with perf_hooks.monitorEventLoopDelay while it is decoded and measured (in
 * the decode worker), the loop's utilization, and the time in all; and how long a hostile WAV (8-bit,
 * declaring 1000 Hz) takes to be refused.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCoreServices } from '../src/core/core-services'
import { MimoClient } from '../src/core/mimo/client'
import { createConfSettingsStore } from '../src/core/settings/conf-settings-store'
import { createEncryptedFileSecretStore } from '../src/core/settings/encrypted-file-secret-store'
import { StoredKeyService } from '../src/core/settings/key-service'
import { StoredSettingsService } from '../src/core/settings/settings-service'
import { dispatchInvoke } from '../src/main/ipc-dispatch'
import { createHandlers } from '../src/main/ipc-handlers'
import type { SampleCheckResult } from '../src/shared/voices'
import { hostileWav, sixtyMegabyteWav } from '../test/core/audio/import-stress-files'
import { watchEventLoop } from '../test/event-loop-watch'

const RUNS = Math.max(1, Number(process.env.RUNS ?? 5))
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]


async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mimo-import-bench-'))
  const settings = new StoredSettingsService(createConfSettingsStore({ cwd: dir }))
  const key = new StoredKeyService({
    secrets: createEncryptedFileSecretStore({ file: join(dir, 'api-key.bin'), cipher: { storage: () => 'os-keychain', encrypt: (s) => Buffer.from(s), decrypt: (b) => b.toString() } }),
    settings: () => settings.get(),
    createClient: (s, k) => new MimoClient({ baseUrl: s.baseUrl, apiKey: k }),
    env: {}
  })
  const core = createCoreServices({ settings, key, dataDir: dir, env: { PATH: join(dir, 'no-programs') } })
  const handlers = createHandlers({
    ...core,
    settings,
    key,
    pageReady: () => {},
    appInfo: () => ({ version: 'bench', platform: process.platform, hotkey: { accelerator: '', requestedMode: 'hybrid', activeMode: 'none' } })
  })
  const importFile = async (fileName: string, bytes: Uint8Array): Promise<SampleCheckResult> => {
    const r = await dispatchInvoke(handlers, 'samples:import', { fileName, bytes })
    if (!r.ok) throw new Error(r.error.message)
    return r.value as SampleCheckResult
  }

  const hostile = hostileWav()
  await importFile('warm-up.wav', new Uint8Array(hostile))
  const refusals: number[] = []
  for (let i = 0; i < 20; i++) {
    const bytes = new Uint8Array(hostile)
    const t = performance.now()
    const r = await importFile('hostile.wav', bytes)
    refusals.push(performance.now() - t)
    if (r.draftId !== null) throw new Error('the hostile WAV was accepted')
  }
  console.log(`Hostile WAV (8-bit, declares 1000 Hz, 1 MB) refused in ${median(refusals).toFixed(2)} ms (median of 20; max ${Math.max(...refusals).toFixed(2)} ms)`)

  const wav = sixtyMegabyteWav()
  console.log(`\n| run | import (ms) | loop delay max (ms) | p99 (ms) | loop busy |`)
  console.log('|---:|---:|---:|---:|---:|')
  for (let run = 1; run <= RUNS; run++) {
    const bytes = new Uint8Array(wav)
    await sleep(300) // the copy above is collected before the measuring starts
    const { result: r, ms, busy, delayMaxMs, delayP99Ms } = await watchEventLoop(() => importFile('long-reading.wav', bytes))
    if (!r.draftId) throw new Error(`the 60 MB WAV was refused: ${r.quality.refusals.join(' ')}`)
    console.log(`| ${run} | ${ms.toFixed(0)} | ${delayMaxMs.toFixed(1)} | ${delayP99Ms.toFixed(1)} | ${(busy * 100).toFixed(1)} % |`)
  }
  await core.close()
  rmSync(dir, { recursive: true, force: true })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
