import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEncryptedFileSecretStore, KeyStorageError } from '../../../src/core/settings/encrypted-file-secret-store'
import { KeyMissingError, KeyringMissingError, StoredKeyService } from '../../../src/core/settings/key-service'
import { MimoClient } from '../../../src/core/mimo/client'
import { decodeBoundKey, encodeBoundKey, KeyOriginError } from '../../../src/core/settings/key-origin'
import { safeStorageCipher } from '../../../src/main/electron/safe-storage-cipher'
import { dispatchInvoke } from '../../../src/main/ipc-dispatch'
import { createHandlers } from '../../../src/main/ipc-handlers'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import { startFakeMimo, type FakeMimo } from '../../fake-mimo/server'

/** A hand-written stand-in for Electron's safeStorage: reversible, visibly not plaintext. */
class FakeSafeStorage {
  available = true
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret'
  isEncryptionAvailable = () => this.available
  getSelectedStorageBackend = () => this.backend
  encryptString = (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('base64')}`)
  decryptString = (bytes: Buffer) => {
    const text = bytes.toString()
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return Buffer.from(text.slice(4), 'base64').toString()
  }
}

let dir: string
let safe: FakeSafeStorage
let fake: FakeMimo
let settings: Settings

beforeAll(async () => {
  fake = await startFakeMimo({ apiKeys: ['sk-valid-key-1234'] })
})
afterAll(() => fake.close())
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-key-'))
  safe = new FakeSafeStorage()
  settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url }
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function keyService(env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux') {
  const file = join(dir, 'api-key.bin')
  const secrets = createEncryptedFileSecretStore({ file, cipher: safeStorageCipher(safe, platform) })
  const service = new StoredKeyService({
    secrets,
    settings: () => settings,
    env,
    createClient: (s, key) => new MimoClient({ baseUrl: s.baseUrl, apiKey: key, auth: s.authStyle, retry: { maxAttempts: 1 } })
  })
  return { service, file }
}

describe('the API key', () => {
  it('is stored encrypted in a file only the user can read, and its status shows only the last four characters', () => {
    const { service, file } = keyService()
    expect(service.status()).toEqual({ set: false, storage: 'os-keychain' })
    const status = service.set('  sk-valid-key-1234 ')
    expect(status).toEqual({ set: true, last4: '1234', storage: 'os-keychain' })
    expect(JSON.stringify(status)).not.toContain('valid-key')
    const onDisk = readFileSync(file)
    expect(onDisk.toString()).not.toContain('sk-valid-key-1234')
    expect(statSync(file).mode & 0o077).toBe(0)
    // A new service (app restart) reads it back.
    expect(keyService().service.get()).toBe('sk-valid-key-1234')
    expect(service.clear()).toEqual({ set: false, storage: 'os-keychain' })
    expect(keyService().service.get()).toBeUndefined()
  })

  it('on Linux without a keyring (basic_text) stores the key only when the user agrees, and says it is only obfuscated', () => {
    safe.backend = 'basic_text'
    const { service, file } = keyService({}, 'linux')
    expect(() => service.set('sk-valid-key-1234')).toThrow(KeyringMissingError)
    expect(existsSync(file)).toBe(false)
    expect(new KeyringMissingError().toUserError()).toMatchObject({ kind: 'input', hint: expect.stringMatching(/Store it anyway.*MIMO_API_KEY/) })
    expect(service.set('sk-valid-key-1234', { storeWithoutKeyring: true }).storage).toBe('plaintext-obfuscated')
    safe.backend = 'basic_text'
    expect(keyService({}, 'darwin').service.status().storage).toBe('os-keychain')
  })

  it('refuses to store the key where no encryption is available, with a hint', () => {
    safe.available = false
    const { service } = keyService()
    expect(service.status().storage).toBe('unavailable')
    expect(() => service.set('sk-valid-key-1234')).toThrow(KeyStorageError)
    try {
      service.set('sk-valid-key-1234')
    } catch (err) {
      expect((err as KeyStorageError).toUserError().hint).toMatch(/MIMO_API_KEY/)
    }
  })

  it('uses MIMO_API_KEY when no key is stored, and a stored key over it', () => {
    const { service } = keyService({ MIMO_API_KEY: 'sk-from-environment-9876' })
    expect(service.status()).toEqual({ set: true, last4: '9876', storage: 'environment' })
    expect(service.get()).toBe('sk-from-environment-9876')
    service.set('sk-valid-key-1234')
    expect(service.status()).toEqual({ set: true, last4: '1234', storage: 'os-keychain' })
  })

  it('a file that does not decrypt (another keychain) reads as not set', () => {
    const { service, file } = keyService()
    writeFileSync(file, 'garbage')
    expect(service.status().set).toBe(false)
  })

  it('test() sends one tiny request to MiMo (real HTTP to the fake server)', async () => {
    const { service } = keyService()
    service.set('sk-valid-key-1234')
    const before = fake.requests.length
    const result = await service.test()
    expect(result.model).toBe('mimo-v2.5')
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    const sent = fake.requests.slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0].headers['api-key']).toBe('sk-valid-key-1234')
    expect(sent[0].body).toMatchObject({ model: 'mimo-v2.5', max_completion_tokens: 1, thinking: { type: 'disabled' } })
  })

  it('a wrong key comes back through IPC dispatch as an API error the user can act on', async () => {
    const { service } = keyService()
    service.set('sk-wrong-key-0000')
    const handlers = createHandlers({ key: service } as never)
    const result = await dispatchInvoke(handlers, 'key:test', undefined)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('api')
      expect(result.error.status).toBe(401)
    }
  })

  it('without any key, test() fails before sending anything', async () => {
    const { service } = keyService()
    const before = fake.requests.length
    await expect(service.test()).rejects.toBeInstanceOf(KeyMissingError)
    expect(fake.requests.length).toBe(before)
  })
})

describe('where the key may go', () => {
  const MIMO = 'https://api.xiaomimimo.com/v1'
  const SGP = 'https://token-plan-sgp.xiaomimimo.com/v1'

  function service(o: { env?: NodeJS.ProcessEnv; answer?: boolean; secret?: string } = {}) {
    const questions: Array<{ savedFor?: string; to: string }> = []
    const secrets = createEncryptedFileSecretStore({ file: join(dir, 'api-key.bin'), cipher: safeStorageCipher(safe, 'linux') })
    if (o.secret) secrets.set(o.secret)
    const s = new StoredKeyService({
      secrets,
      settings: () => settings,
      env: o.env ?? {},
      createClient: (st, key) => new MimoClient({ baseUrl: st.baseUrl, apiKey: key, retry: { maxAttempts: 1 } }),
      ...(o.answer === undefined ? {} : { confirmation: { confirmKeyOrigin: async (q) => (questions.push(q), o.answer!) } })
    })
    return { s, questions, secrets }
  }

  it('a stored key goes to the origin it was saved for; elsewhere, without a way to ask, it is refused', async () => {
    settings = { ...DEFAULT_SETTINGS, baseUrl: MIMO }
    const { s } = service()
    s.set('sk-valid-key-1234')
    expect(await s.keyFor(`${MIMO}/`)).toBe('sk-valid-key-1234')
    await expect(s.keyFor(SGP)).rejects.toBeInstanceOf(KeyOriginError)
    await expect(s.keyFor('https://api.xiaomimimo.com:8443/v1')).rejects.toBeInstanceOf(KeyOriginError)
  })

  it('a refused origin is not asked about again until the key is entered again', async () => {
    settings = { ...DEFAULT_SETTINGS, baseUrl: MIMO }
    const { s, questions } = service({ answer: false })
    s.set('sk-valid-key-1234')
    await expect(s.keyFor(SGP)).rejects.toBeInstanceOf(KeyOriginError)
    await expect(s.keyFor(SGP)).rejects.toBeInstanceOf(KeyOriginError)
    expect(questions).toEqual([{ savedFor: 'https://api.xiaomimimo.com', to: 'https://token-plan-sgp.xiaomimimo.com' }])
    settings = { ...DEFAULT_SETTINGS, baseUrl: SGP }
    s.set('sk-valid-key-1234')
    expect(await s.keyFor(SGP)).toBe('sk-valid-key-1234')
  })

  it("MIMO_API_KEY goes to MiMo's hosts and to MIMO_BASE_URL without a question, elsewhere only with a yes (for this run)", async () => {
    const { s, questions } = service({ env: { MIMO_API_KEY: 'sk-from-env-5678', MIMO_BASE_URL: fake.url }, answer: true })
    expect(await s.keyFor(MIMO)).toBe('sk-from-env-5678')
    expect(await s.keyFor(SGP)).toBe('sk-from-env-5678')
    expect(await s.keyFor(fake.url)).toBe('sk-from-env-5678')
    expect(questions).toEqual([])
    expect(await s.keyFor('https://proxy.example/v1')).toBe('sk-from-env-5678')
    expect(await s.keyFor('https://proxy.example/v1')).toBe('sk-from-env-5678')
    expect(questions).toEqual([{ to: 'https://proxy.example' }])
    expect(existsSync(join(dir, 'api-key.bin'))).toBe(false) // nothing of it is stored
  })

  it('a key stored by an older version (a bare key) is trusted only for a MiMo base URL, and bound on first yes', async () => {
    settings = { ...DEFAULT_SETTINGS, baseUrl: MIMO }
    expect(await service({ secret: 'sk-older-key-0000' }).s.keyFor(MIMO)).toBe('sk-older-key-0000')
    settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url }
    await expect(service({ secret: 'sk-older-key-0000' }).s.keyFor(fake.url)).rejects.toBeInstanceOf(KeyOriginError)
    const { s, secrets } = service({ secret: 'sk-older-key-0000', answer: true })
    expect(await s.keyFor(fake.url)).toBe('sk-older-key-0000')
    expect(JSON.parse(secrets.get()!)).toEqual({ key: 'sk-older-key-0000', origins: [new URL(fake.url).origin] })
    expect(s.status()).toMatchObject({ set: true, last4: '0000' })
  })

  it('what is stored names the key and its origins, and nothing else', () => {
    expect(decodeBoundKey(encodeBoundKey({ key: 'sk-a', origins: ['https://x'] }))).toEqual({ key: 'sk-a', origins: ['https://x'] })
    expect(decodeBoundKey('sk-plain')).toEqual({ key: 'sk-plain' })
    expect(decodeBoundKey('{not json')).toEqual({ key: '{not json' })
  })
})
