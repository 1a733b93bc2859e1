/**
 * The API key is bound to the origins it may be sent to. A stored key remembers the origin of the base URL
 * it was saved with, and any origin the user later allowed; MIMO_API_KEY may go to MiMo's own hosts and to
 * MIMO_BASE_URL. Sending it anywhere else needs the user's yes, asked by the main process itself through
 * a port (a native dialog in the app: the window cannot answer it), or the key entered again.
 */
import type { UserError } from '../../shared/errors'
import { mimoOrigins, originOf } from '../../shared/base-url'

/** The stored secret: the key and where it may go. */
export interface BoundKey {
  key: string
  /** undefined: a key stored by an older version, before keys were bound. */
  origins?: string[]
}

/** A key and its origins as one string for the SecretStore (JSON); a bare key is a key from an older version. */
export function encodeBoundKey(b: Required<BoundKey>): string {
  return JSON.stringify({ key: b.key, origins: b.origins })
}

export function decodeBoundKey(secret: string): BoundKey {
  if (secret.startsWith('{')) {
    try {
      const parsed = JSON.parse(secret) as { key?: unknown; origins?: unknown }
      if (typeof parsed.key === 'string' && Array.isArray(parsed.origins) && parsed.origins.every((o) => typeof o === 'string')) {
        return { key: parsed.key, origins: parsed.origins as string[] }
      }
    } catch {
      // not ours: a key that happens to start with a brace
    }
  }
  return { key: secret }
}

/** Where MIMO_API_KEY may go without asking: MiMo's hosts, and the base URL the environment names. */
export function environmentOrigins(env: NodeJS.ProcessEnv): string[] {
  const named = env.MIMO_BASE_URL?.trim()
  let extra: string[] = []
  try {
    if (named) extra = [originOf(named)]
  } catch {
    // not a URL: nothing more is allowed
  }
  return [...mimoOrigins(), ...extra]
}

/** The question the main process asks before the key goes somewhere new. */
export interface KeyOriginQuestion {
  /** The origin the key was saved for (undefined: a key from an older version, or MIMO_API_KEY). */
  savedFor?: string
  /** Where the base URL now points. */
  to: string
}

/** A request was not made because the key may not go to its origin. */
export class KeyOriginError extends Error {
  constructor(readonly q: KeyOriginQuestion) {
    super(`The API key is not sent to ${q.to}${q.savedFor ? `: it was saved for ${q.savedFor}` : ''}.`)
    this.name = 'KeyOriginError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      code: 'key-origin',
      message: `Your API key was not sent to ${hostOf(this.q.to)}${this.q.savedFor ? `: it was saved for ${hostOf(this.q.savedFor)}` : ''}.`,
      hint: 'If you changed the base URL yourself, enter your key again in Settings, or allow the new address when MiMo Voice asks.'
    }
  }
}

export function hostOf(origin: string): string {
  try {
    return new URL(origin).host
  } catch {
    return origin
  }
}
