import type { SafeStorage } from 'electron'
import type { SecretCipher } from '../../core/settings/encrypted-file-secret-store'

/**
 * Electron's safeStorage as the key's cipher. On Linux without a keyring (no GNOME Keyring or KWallet)
 * Chromium falls back to a fixed password ('basic_text'): reported as 'plaintext-obfuscated', so the
 * settings page can say the key is only obfuscated on this machine.
 */
export function safeStorageCipher(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform = process.platform
): SecretCipher {
  return {
    storage() {
      if (!safeStorage.isEncryptionAvailable()) return 'unavailable'
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'plaintext-obfuscated'
      return 'os-keychain'
    },
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (bytes) => safeStorage.decryptString(bytes)
  }
}
