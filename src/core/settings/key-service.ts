import type { UserError } from '../../shared/errors'
import type { KeyTestResult } from '../../shared/settings'
import type { KeyStatus, Settings } from '../../shared/settings'
import type { Clock, SecretStore } from '../ports'
import { systemClock } from '../ports'
import type { KeyService } from '../services'
import { InputError } from './input-error'

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

export interface KeyServiceOptions {
  secrets: SecretStore
  settings: () => Settings
  createClient: KeyTestClientFactory
  env?: NodeJS.ProcessEnv
  clock?: Clock
}

/**
 * The API key: kept in the SecretStore, never sent to the window (status() tells only whether it is
 * set, its last four characters and how it is stored). MIMO_API_KEY is used when none is stored.
 */
export class StoredKeyService implements KeyService {
  readonly #secrets: SecretStore
  readonly #settings: () => Settings
  readonly #createClient: KeyTestClientFactory
  readonly #env: NodeJS.ProcessEnv
  readonly #clock: Clock
  readonly #listeners = new Set<(status: KeyStatus) => void>()

  constructor(o: KeyServiceOptions) {
    this.#secrets = o.secrets
    this.#settings = o.settings
    this.#createClient = o.createClient
    this.#env = o.env ?? process.env
    this.#clock = o.clock ?? systemClock
  }

  status(): KeyStatus {
    const stored = this.#stored()
    if (stored) return { set: true, last4: lastFour(stored), storage: this.#secrets.storage() }
    const fromEnv = this.#fromEnv()
    if (fromEnv) return { set: true, last4: lastFour(fromEnv), storage: 'environment' }
    return { set: false, storage: this.#secrets.storage() }
  }

  set(key: string): KeyStatus {
    const trimmed = key.trim()
    if (trimmed.length < 8) throw new InputError('key', 'That key is too short.')
    if (/\s/.test(trimmed)) throw new InputError('key', 'A key has no spaces or line breaks in it.')
    this.#secrets.set(trimmed)
    return this.#changed()
  }

  clear(): KeyStatus {
    this.#secrets.clear()
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

  get(): string | undefined {
    return this.#stored() ?? this.#fromEnv()
  }

  /** One tiny non-streaming request (a single output token) with the current base URL and model. */
  async test(): Promise<KeyTestResult> {
    const key = this.get()
    if (!key) throw new KeyMissingError()
    const settings = this.#settings()
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
    return v ? v : undefined
  }

  #fromEnv(): string | undefined {
    const v = this.#env.MIMO_API_KEY?.trim()
    return v ? v : undefined
  }
}

function lastFour(key: string): string {
  return key.slice(-4)
}
