import type { UserError } from '../../shared/errors'
import type { KeyTestResult } from '../../shared/settings'
import type { KeyStatus, Settings } from '../../shared/settings'
import { originOf } from '../../shared/base-url'
import type { Clock, KeyOriginConfirmation, SecretStore } from '../ports'
import { systemClock } from '../ports'
import type { KeyService } from '../services'
import { InputError } from './input-error'
import { decodeBoundKey, encodeBoundKey, environmentOrigins, KeyOriginError } from './key-origin'

/** The request the key test sends: one user word, one output token, no thinking. */
export interface KeyTestRequest {
  model: string
  messages: Array<{ role: 'user'; content: string }>
  max_completion_tokens: number
  thinking: { type: 'disabled' }
}

/** The smallest client the key test needs: the MiMo client's non-streaming call. */
export interface KeyTestClient {
  complete(request: KeyTestRequest): Promise<unknown>
  close?(): Promise<void>
}
export type KeyTestClientFactory = (settings: Settings, key: string) => KeyTestClient

export class KeyMissingError extends Error {
  constructor() {
    super('No MiMo API key is set.')
    this.name = 'KeyMissingError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      message: 'No MiMo API key is set.',
      hint: 'Paste your key in Settings (it starts with "sk-" or, for token plans, "tp-"), or set MIMO_API_KEY.'
    }
  }
}

/** The system keeps secrets only obfuscated (Linux without a keyring): the user must agree before the key is stored. */
export class KeyringMissingError extends Error {
  constructor() {
    super('This system has no keyring, so the key would be stored only obfuscated.')
    this.name = 'KeyringMissingError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      code: 'no-keyring',
      message: 'This system has no keyring (such as GNOME Keyring or KWallet), so the key would be stored only obfuscated, readable by any program you run.',
      hint: 'Choose "Store it anyway" to accept that, install a keyring and restart MiMo Voice, or set the MIMO_API_KEY environment variable instead.'
    }
  }
}

export interface KeyServiceOptions {
  secrets: SecretStore
  settings: () => Settings
  createClient: KeyTestClientFactory
  env?: NodeJS.ProcessEnv
  clock?: Clock
  /** Asks the user before the key goes to an origin it was not saved for; without it such a request is refused. */
  confirmation?: KeyOriginConfirmation
}

/** The key in use, where it may go, and where it was saved for (none: MIMO_API_KEY, or a key from an older version). */
interface Bound {
  key: string
  origins: string[]
  savedFor?: string
  stored: boolean
}

/**
 * The API key: kept in the SecretStore, never sent to the window (status() tells only whether it is
 * set, its last four characters and how it is stored). MIMO_API_KEY is used when none is stored.
 * The key goes only to the origins it is bound to (src/core/settings/key-origin.ts): keyFor() is the one
 * way a request gets it.
 */
export class StoredKeyService implements KeyService {
  readonly #secrets: SecretStore
  readonly #settings: () => Settings
  readonly #createClient: KeyTestClientFactory
  readonly #env: NodeJS.ProcessEnv
  readonly #clock: Clock
  readonly #confirmation: KeyOriginConfirmation | undefined
  /** Origins the user refused this run: not asked again until the key is entered again. */
  readonly #declined = new Set<string>()
  /** One question per origin at a time, however many requests wait for it. */
  readonly #asking = new Map<string, Promise<boolean>>()
  /** Origins allowed this run for MIMO_API_KEY (nothing of it is stored). */
  readonly #environmentAllowed = new Set<string>()
  readonly #listeners = new Set<(status: KeyStatus) => void>()

  constructor(o: KeyServiceOptions) {
    this.#secrets = o.secrets
    this.#settings = o.settings
    this.#createClient = o.createClient
    this.#env = o.env ?? process.env
    this.#clock = o.clock ?? systemClock
    this.#confirmation = o.confirmation
  }

  status(): KeyStatus {
    const stored = this.#stored()
    if (stored) return { set: true, last4: lastFour(stored), storage: this.#secrets.storage() }
    const fromEnv = this.#fromEnv()
    if (fromEnv) return { set: true, last4: lastFour(fromEnv), storage: 'environment' }
    return { set: false, storage: this.#secrets.storage() }
  }

  /**
   * Stores the key, bound to the origin of the current base URL. Where the system has no keyring the key
   * would be only obfuscated: that needs `storeWithoutKeyring`, the user's explicit yes.
   */
  set(key: string, o: { storeWithoutKeyring?: boolean } = {}): KeyStatus {
    const trimmed = key.trim()
    if (trimmed.length < 8) throw new InputError('key', 'That key is too short.')
    if (/\s/.test(trimmed)) throw new InputError('key', 'A key has no spaces or line breaks in it.')
    if (this.#secrets.storage() === 'plaintext-obfuscated' && o.storeWithoutKeyring !== true) throw new KeyringMissingError()
    this.#secrets.set(encodeBoundKey({ key: trimmed, origins: [originOf(this.#settings().baseUrl)] }))
    this.#declined.clear()
    return this.#changed()
  }

  clear(): KeyStatus {
    this.#secrets.clear()
    this.#declined.clear()
    return this.#changed()
  }

  on(_e: 'change', l: (status: KeyStatus) => void): () => void {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }

  #changed(): KeyStatus {
    const status = this.status()
    for (const l of this.#listeners) {
      try {
        l(status)
      } catch {
        // a listener's fault (the window's) must not undo the change
      }
    }
    return status
  }

  /** The key, to tell whether one is set and show its end: a request gets it through keyFor(). */
  get(): string | undefined {
    return this.#stored() ?? this.#fromEnv()
  }

  /**
   * The key for a request to this base URL. An origin the key is not bound to is asked about once (through
   * the confirmation port); refused, or with no way to ask, it throws KeyOriginError and nothing is sent.
   */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const bound = this.#bound()
    if (!bound) return undefined
    const to = originOf(baseUrl)
    if (bound.origins.includes(to)) return bound.key
    const refused = new KeyOriginError({ savedFor: bound.savedFor, to })
    if (!this.#confirmation || this.#declined.has(to)) throw refused
    let asking = this.#asking.get(to)
    if (!asking) {
      asking = this.#confirmation.confirmKeyOrigin({ savedFor: bound.savedFor, to }).catch(() => false)
      this.#asking.set(to, asking)
      void asking.finally(() => this.#asking.delete(to))
    }
    if (!(await asking)) {
      this.#declined.add(to)
      throw refused
    }
    // The key changed while the question was open: the new key's own binding decides.
    if (this.get() !== bound.key) return this.keyFor(baseUrl)
    this.#allow(to)
    return bound.key
  }

  /** One tiny non-streaming request (a single output token) with the current base URL and model. */
  async test(): Promise<KeyTestResult> {
    const settings = this.#settings()
    const key = await this.keyFor(settings.baseUrl)
    if (!key) throw new KeyMissingError()
    const client = this.#createClient(settings, key)
    const started = this.#clock.now()
    try {
      await client.complete({
        model: settings.chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
        max_completion_tokens: 1,
        thinking: { type: 'disabled' }
      })
      return { latencyMs: Math.max(0, Math.round(this.#clock.now() - started)), model: settings.chatModel }
    } finally {
      await client.close?.()
    }
  }

  #stored(): string | undefined {
    const v = this.#secrets.get()
    return v ? decodeBoundKey(v).key || undefined : undefined
  }

  #bound(): Bound | undefined {
    const secret = this.#secrets.get()
    if (secret) {
      const { key, origins } = decodeBoundKey(secret)
      if (origins) return { key, origins, savedFor: origins[0], stored: true }
      // Stored before keys were bound: it has been going to the base URL in the settings; only MiMo's own is trusted.
      const current = originOf(this.#settings().baseUrl)
      return { key, origins: environmentOrigins({}).includes(current) ? [current] : [], stored: true }
    }
    const fromEnv = this.#fromEnv()
    if (!fromEnv) return undefined
    return { key: fromEnv, origins: [...environmentOrigins(this.#env), ...this.#environmentAllowed], stored: false }
  }

  #allow(origin: string): void {
    const bound = this.#bound()
    if (!bound) return
    if (!bound.stored) this.#environmentAllowed.add(origin)
    else this.#secrets.set(encodeBoundKey({ key: bound.key, origins: [...new Set([...bound.origins, origin])] }))
  }

  #fromEnv(): string | undefined {
    const v = this.#env.MIMO_API_KEY?.trim()
    return v ? v : undefined
  }
}

function lastFour(key: string): string {
  return key.slice(-4)
}
