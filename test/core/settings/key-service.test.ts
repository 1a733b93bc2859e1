import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEncryptedFileSecretStore, KeyStorageError } from '../../../src/core/settings/encrypted-file-secret-store'
import { KeyMissingError, StoredKeyService } from '../../../src/core/settings/key-service'
import { MimoClient } from '../../../src/core/mimo/client'
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

  it('on Linux without a keyring (basic_text) says the key is only obfuscated', () => {
    safe.backend = 'basic_text'
    const { service } = keyService({}, 'linux')
    expect(service.set('sk-valid-key-1234').storage).toBe('plaintext-obfuscated')
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
