import { readFileSync, rmSync } from 'node:fs'
import type { UserError } from '../../shared/errors'
import type { KeyStorage } from '../../shared/settings'
import type { SecretStore } from '../ports'
import { writeFileAtomically } from '../atomic-file'

/** Encrypts with the OS (Electron's safeStorage in the app). */
export interface SecretCipher {
  storage(): Exclude<KeyStorage, 'environment'>
  encrypt(plain: string): Buffer
  decrypt(encrypted: Buffer): string
}

export class KeyStorageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyStorageError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      message: this.message,
      hint: 'Set the MIMO_API_KEY environment variable before starting MiMo Voice instead.'
    }
  }
}

/**
 * The API key, encrypted by the OS and written to one file only the user can read. The settings file
 * never holds it.
 */
export function createEncryptedFileSecretStore(o: { file: string; cipher: SecretCipher; log?: (m: string) => void }): SecretStore {
  return {
    storage: () => o.cipher.storage(),
    get() {
      let bytes: Buffer
      try {
        bytes = readFileSync(o.file)
      } catch {
        return undefined
      }
      try {
        return o.cipher.decrypt(bytes)
      } catch (err) {
        // Another user's or another keychain's secret: treat as not set, the user enters it again.
        o.log?.(`The stored API key could not be decrypted: ${(err as Error).message}`)
        return undefined
      }
    },
    set(secret) {
      if (o.cipher.storage() === 'unavailable') {
        throw new KeyStorageError('This system offers no encryption for saved secrets, so the key cannot be saved.')
      }
      writeFileAtomically(o.file, o.cipher.encrypt(secret))
    },
    clear() {
      rmSync(o.file, { force: true })
    }
  }
}
