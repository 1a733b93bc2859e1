/**
 * One save, rename or delete through the real stores, in a process that kills itself (SIGKILL) just
 * before its Nth file-system call: test/core/atomic-file.test.ts runs it many times over one data
 * folder and checks that every file is still readable after each kill.
 *
 * env: DATA_DIR, OP (which operation), KILL_AT (1-based call number; 0 = never), SEED.
 * Prints `calls=N` when the operation finished without being killed.
 */
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { join } from 'node:path'
import { encodeWav } from '../../src/core/audio/wav'
import { createConfSettingsStore } from '../../src/core/settings/conf-settings-store'
import { createEncryptedFileSecretStore } from '../../src/core/settings/encrypted-file-secret-store'
import { StoredSettingsService } from '../../src/core/settings/settings-service'
import { JsonFileVoiceMetadataStore } from '../../src/core/voices/voice-metadata-store'
import { VoiceStore } from '../../src/core/voices/voice-store'
import type { SampleQuality } from '../../src/shared/voices'

const OPERATIONS = ['save-settings', 'save-clone', 'rename-voice', 'delete-voice', 'save-design', 'save-key'] as const

const dataDir = process.env.DATA_DIR!
const op = OPERATIONS[Number(process.env.OP) % OPERATIONS.length]
const killAt = Number(process.env.KILL_AT ?? 0)
const seed = Number(process.env.SEED ?? 1)

let calls = 0
function tick(): void {
  if (++calls === killAt) process.kill(process.pid, 'SIGKILL')
}

/** Every call that changes a file or a folder counts as a point where the process may die. */
async function armKillSwitch(): Promise<void> {
  const wrap = (target: Record<string, unknown>, names: string[]): void => {
    for (const name of names) {
      const original = target[name] as (...a: unknown[]) => unknown
      target[name] = function (this: unknown, ...args: unknown[]) {
        tick()
        return original.apply(this, args)
      }
    }
  }
  const handle = await fs.promises.open(__filename, 'r')
  const fileHandle = Object.getPrototypeOf(handle) as Record<string, unknown>
  await handle.close()
  wrap(fs as unknown as Record<string, unknown>, [
    'openSync', 'writeSync', 'writeFileSync', 'fsyncSync', 'closeSync', 'renameSync', 'rmSync', 'unlinkSync', 'mkdirSync'
  ])
  wrap(fs.promises as unknown as Record<string, unknown>, ['open', 'writeFile', 'rename', 'rm', 'unlink', 'mkdir'])
  wrap(fileHandle, ['write', 'writeFile', 'sync', 'datasync', 'close'])
  syncBuiltinESMExports()
}

const identity = { storage: () => 'os-keychain' as const, encrypt: (s: string) => Buffer.from(s), decrypt: (b: Buffer) => b.toString() }

function quality(durationSec: number): SampleQuality {
  return {
    durationSec, sampleRate: 16000, channelsIn: 1, clippingShare: 0, rmsDbfs: -20, peakDbfs: -6, noiseDbfs: -60,
    trimmedLeadingSec: 0, trimmedTrailingSec: 0, base64Bytes: 0, warnings: [], refusals: []
  }
}

async function main(): Promise<void> {
  const settings = new StoredSettingsService(createConfSettingsStore({ cwd: dataDir }))
  const voicesDir = join(dataDir, 'voices')
  const voices = new VoiceStore({ dir: voicesDir, metadata: new JsonFileVoiceMetadataStore(join(voicesDir, 'voices.json')) })
  const secrets = createEncryptedFileSecretStore({ file: join(dataDir, 'api-key.bin'), cipher: identity })
  const existing = voices.records()
  // A sample of a size that differs per run, so a torn write could not pass for a whole one.
  const pcm = new Int16Array(16000 + (seed % 997) * 17).map((_, i) => Math.round(8000 * Math.sin(i / 7)))
  const wav = encodeWav(pcm, 16000)

  process.stdout.write(`op=${op}\n`)
  await armKillSwitch()
  switch (op) {
    case 'save-settings':
      settings.update({ volume: (seed % 100) / 100, quickQuestions: [`Question number ${seed}?`] })
      break
    case 'save-clone':
      await voices.saveCheckedClone({ wav, quality: quality(pcm.length / 16000) }, `Clone ${seed}`, true)
      break
    case 'rename-voice':
      if (existing.length) voices.rename(existing[seed % existing.length].id, `Renamed ${seed}`)
      else voices.addDesign(`Design ${seed}`, 'A calm voice.')
      break
    case 'delete-voice':
      if (existing.length) await voices.remove(existing[seed % existing.length].id)
      else await voices.saveCheckedClone({ wav, quality: quality(1) }, `Clone ${seed}`, true)
      break
    case 'save-design':
      voices.addDesign(`Design ${seed}`, `A voice described for run ${seed}.`)
      break
    case 'save-key':
      if (seed % 3 === 0) secrets.clear()
      else secrets.set(`sk-key-for-run-${seed}-${'x'.repeat(seed % 50)}`)
      break
  }
  process.stdout.write(`calls=${calls}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
