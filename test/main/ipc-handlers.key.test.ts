// The key goes only where the user sent it, tried as a compromised window would: through the contract's
// schemas (dispatchInvoke) and the real handlers, over the real settings, key, doctor and assistant
// services, with two fake MiMo servers on loopback, the user's and an "attacker's" (another origin).
// The main process's own question (a native dialog in the app) is a hand-written port here.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import type { DoctorReport, Handlers, KeyTestResult, PublicSettings } from '../../src/shared/ipc'
import { INVOKE_CHANNELS } from '../../src/shared/ipc'
import { createCoreServices, type CoreServices } from '../../src/core/core-services'
import { MimoClient } from '../../src/core/mimo/client'
import type { KeyOriginConfirmation } from '../../src/core/ports'
import { createConfSettingsStore } from '../../src/core/settings/conf-settings-store'
import { createEncryptedFileSecretStore, type SecretCipher } from '../../src/core/settings/encrypted-file-secret-store'
import { StoredKeyService } from '../../src/core/settings/key-service'
import { StoredSettingsService } from '../../src/core/settings/settings-service'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { createHandlers } from '../../src/main/ipc-handlers'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { FAKE_APP_INFO } from './electron/fake-services'

const KEY = 'sk-user-key-1234'
const identity: SecretCipher = { storage: () => 'os-keychain', encrypt: (s) => Buffer.from(s), decrypt: (b) => b.toString() }

/** The main process's question, answered as the test says; every question is kept. */
class Asked implements KeyOriginConfirmation {
  questions: Array<{ savedFor?: string; to: string }> = []
  answer = false
  async confirmKeyOrigin(q: { savedFor?: string; to: string }): Promise<boolean> {
    this.questions.push(q)
    await new Promise((r) => setTimeout(r, 20)) // a person takes a moment
    return this.answer
  }
}

let mimo: FakeMimo
let attacker: FakeMimo
let dir: string
let asked: Asked
let settings: StoredSettingsService
let key: StoredKeyService
let core: CoreServices
let handlers: Handlers

/** The services as the app builds them (src/main/index.ts), over the data folder of this test. */
function startServices(): void {
  settings = new StoredSettingsService(createConfSettingsStore({ cwd: dir }))
  key = new StoredKeyService({
    secrets: createEncryptedFileSecretStore({ file: join(dir, 'api-key.bin'), cipher: identity }),
    settings: () => settings.get(),
    createClient: (s, apiKey) => new MimoClient({ baseUrl: s.baseUrl, apiKey, auth: s.authStyle, retry: { maxAttempts: 1 } }),
    env: {},
    confirmation: asked
  })
  // No recorder or player on this PATH: the audio checks fail at once, nothing plays.
  core = createCoreServices({ settings, key, dataDir: dir, env: { PATH: join(dir, 'no-programs') } })
  handlers = createHandlers({ ...core, settings, key, pageReady: () => {}, appInfo: () => FAKE_APP_INFO })
}

async function call<T>(channel: string, payload?: unknown): Promise<Result<T>> {
  return (await dispatchInvoke(handlers, channel, payload)) as Result<T>
}
const keyed = (fake: FakeMimo): number => fake.requests.filter((r) => r.headers['api-key'] === KEY).length

beforeAll(async () => {
  mimo = await startFakeMimo({ apiKeys: [KEY] })
  attacker = await startFakeMimo({ apiKeys: [KEY] })
})
afterAll(async () => {
  await mimo.close()
  await attacker.close()
})
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-key-origin-'))
  asked = new Asked()
  startServices()
  // The user's own set-up: their base URL, then their key (bound to that origin).
  expect((await call('settings:update', { baseUrl: mimo.url })).ok).toBe(true)
  expect((await call('key:set', { key: KEY })).ok).toBe(true)
  mimo.clearRequests()
  attacker.clearRequests()
})
afterEach(async () => {
  await core.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a compromised window tries to send the key elsewhere', () => {
  it('plain http to another machine is refused as a base URL, so nothing can go there unencrypted', async () => {
    const r = await call<PublicSettings>('settings:update', { baseUrl: 'http://attacker.example/v1' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/^baseUrl: The API key would travel unencrypted: use https/)
    expect(settings.get().baseUrl).toBe(mimo.url)
    expect((await call('settings:update', { baseUrl: 'https://user:pw@api.xiaomimimo.com/v1' })).ok).toBe(false)
  })

  it('a new origin then key:test, doctor:run and a question: the main process asks once; refused, no request carries the key', async () => {
    expect((await call('settings:update', { baseUrl: attacker.url })).ok).toBe(true)

    const tested = await call<KeyTestResult>('key:test')
    expect(tested.ok).toBe(false)
    if (!tested.ok) {
      expect(tested.error).toMatchObject({ kind: 'input', code: 'key-origin' })
      expect(tested.error.message).toBe(`Your API key was not sent to ${new URL(attacker.url).host}: it was saved for ${new URL(mimo.url).host}.`)
    }
    expect(asked.questions).toEqual([{ savedFor: new URL(mimo.url).origin, to: new URL(attacker.url).origin }])

    const doctor = await call<DoctorReport>('doctor:run')
    expect(doctor.ok).toBe(true)
    if (doctor.ok) expect(doctor.value.checks.find((c) => c.id === 'api')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/was not sent to/) })

    const asking = await call<{ turnId: string }>('assistant:ask', { text: 'What is the weather?' })
    expect(asking.ok).toBe(true)
    const turn = asking.ok ? await core.assistant.settled(asking.value.turnId) : undefined
    expect(turn?.status).toBe('error')

    // Refused once: not asked again for the same origin this run, and nothing reached the other server.
    expect(asked.questions).toHaveLength(1)
    expect(attacker.requests).toEqual([])
  }, 30_000)

  it('the window has no way to answer the question: there is no channel for it', () => {
    expect(INVOKE_CHANNELS.filter((c) => /key|origin/i.test(c)).sort()).toEqual(['key:clear', 'key:set', 'key:test'])
  })

  it('requests waiting at the same time share one question', async () => {
    await call('settings:update', { baseUrl: attacker.url })
    const all = await Promise.all([call('key:test'), call('key:test'), call('doctor:run')])
    expect(all[0].ok).toBe(false)
    expect(asked.questions).toHaveLength(1)
    expect(keyed(attacker)).toBe(0)
  })
})

describe('the user moves the key on purpose', () => {
  it('allowed in the dialog: the request goes with the key, and the new origin is remembered after a restart', async () => {
    await call('settings:update', { baseUrl: attacker.url })
    asked.answer = true
    const tested = await call<KeyTestResult>('key:test')
    expect(tested).toMatchObject({ ok: true, value: { model: 'mimo-v2.5' } })
    expect(keyed(attacker)).toBe(1)

    await core.close()
    asked = new Asked()
    startServices()
    expect((await call('key:test')).ok).toBe(true)
    expect(await key.keyFor(mimo.url)).toBe(KEY) // the first origin stays allowed
    expect(asked.questions).toEqual([])
  })

  it('entering the key again binds it to the base URL in use, without a question', async () => {
    await call('settings:update', { baseUrl: attacker.url })
    expect((await call('key:set', { key: KEY })).ok).toBe(true)
    expect((await call('key:test')).ok).toBe(true)
    expect(asked.questions).toEqual([])
    // ...and the old origin now needs the question.
    await call('settings:update', { baseUrl: mimo.url })
    expect((await call('key:test')).ok).toBe(false)
    expect(asked.questions).toHaveLength(1)
  })
})

describe('a hostile answer through the IPC dispatcher', () => {
  it('key:test against a server that never stops sending ends with an error, having read at most 32 MB', async () => {
    mimo.injectFault({ kind: 'flood', what: 'json-answer' })
    const tested = await call<KeyTestResult>('key:test')
    expect(tested.ok).toBe(false)
    if (!tested.ok) expect(tested.error).toMatchObject({ code: 'response_too_large', message: expect.stringMatching(/more than 32 MB/) })
    expect(mimo.requests.at(-1)!.floodBytes).toBeLessThan(48 * 1024 * 1024)
  })

  it('an auth error names the host it came from', async () => {
    await call('key:set', { key: 'sk-not-the-right-one' })
    const tested = await call<KeyTestResult>('key:test')
    expect(tested.ok).toBe(false)
    if (!tested.ok) expect(tested.error.message).toMatch(new RegExp(`^MiMo at ${new URL(mimo.url).host.replaceAll('.', '\\.')} did not accept the API key`))
  })
})

