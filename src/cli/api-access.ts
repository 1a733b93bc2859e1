/**
 * The command's rules for the key and where it goes:
 * - the key comes from MIMO_API_KEY, --api-key-file FILE (or - for stdin), or --api-key (which every
 *   user of the machine can read in `ps`, and which stays in the shell history: a warning says so);
 * - it is sent to the base URL of the app's settings only when that is one of MiMo's own hosts. Any other
 *   address must be named for this run, with --base-url or MIMO_BASE_URL: a settings file another program
 *   changed cannot send the key elsewhere.
 */
import { baseUrlProblem, isMimoBaseUrl } from '../shared/base-url'
import type { Settings } from '../shared/settings'
import { readFileWithin } from '../core/bounded-read'
import { UsageError, type CliOptions } from './args'

export interface ApiKey {
  key?: string
  /** Where it came from, for the doctor: "MIMO_API_KEY", "--api-key-file", ... */
  from?: string
}

/** A key is a line of text; a bigger "key file" is something else. */
const MAX_KEY_FILE_BYTES = 4096

export const NO_KEY = 'No MiMo API key: set MIMO_API_KEY, or pass --api-key-file FILE (- reads it from stdin).'

/** The base URL given for this run (flag, then environment), checked; undefined when none was. */
export function baseUrlForThisRun(options: Pick<CliOptions, 'baseUrl'>, env: NodeJS.ProcessEnv): string | undefined {
  const given = options.baseUrl ?? (env.MIMO_BASE_URL?.trim() || undefined)
  if (given === undefined) return undefined
  const problem = baseUrlProblem(given)
  if (problem) throw new UsageError(`${options.baseUrl !== undefined ? '--base-url' : 'MIMO_BASE_URL'} "${given}": ${problem}`)
  return given.trim().replace(/\/+$/, '')
}

/** Refuses (UsageError) to send the key to a base URL from the settings file that is not MiMo's and was not named for this run. */
export function checkBaseUrl(settings: Pick<Settings, 'baseUrl'>, options: Pick<CliOptions, 'baseUrl'>, env: NodeJS.ProcessEnv): void {
  if (baseUrlForThisRun(options, env) !== undefined || isMimoBaseUrl(settings.baseUrl)) return
  throw new UsageError(
    `The app's settings send requests to ${settings.baseUrl}, which is not a MiMo host, so the key is not sent there. ` +
      `If that address is yours, name it for this run: --base-url ${settings.baseUrl} (or MIMO_BASE_URL).`
  )
}

/** The key, by the rules above. `warn` tells about --api-key. */
export async function readApiKey(
  options: Pick<CliOptions, 'apiKey' | 'apiKeyFile'>,
  io: { env: NodeJS.ProcessEnv; stdin: NodeJS.ReadableStream & { isTTY?: boolean } },
  warn: (line: string) => void
): Promise<ApiKey> {
  if (options.apiKey !== undefined) {
    warn('Warning: --api-key shows the key to every user of this computer (ps) and keeps it in your shell history; use MIMO_API_KEY or --api-key-file FILE.')
    if (options.apiKey.trim()) return { key: options.apiKey.trim(), from: '--api-key' }
  }
  if (options.apiKeyFile !== undefined) {
    const text = options.apiKeyFile === '-' ? await readKeyFromStdin(io.stdin) : (await readFileWithin(options.apiKeyFile, { what: 'The key file', maxBytes: MAX_KEY_FILE_BYTES })).toString('utf8')
    const key = text.split(/\r?\n/)[0].trim()
    if (!key || /\s/.test(key)) throw new UsageError(`${options.apiKeyFile === '-' ? 'stdin' : `The key file "${options.apiKeyFile}"`} holds no key on its first line.`)
    return { key, from: options.apiKeyFile === '-' ? 'stdin' : '--api-key-file' }
  }
  const fromEnv = io.env.MIMO_API_KEY?.trim()
  return fromEnv ? { key: fromEnv, from: 'MIMO_API_KEY' } : {}
}

/** The first line on stdin (at most 4 KB): the key. Stdin is not read further. */
async function readKeyFromStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new UsageError('--api-key-file - reads the key from stdin, which is a terminal here: pipe the key in, or use MIMO_API_KEY.')
  let text = ''
  for await (const chunk of stdin) {
    text += String(chunk)
    if (text.includes('\n') || text.length > MAX_KEY_FILE_BYTES) break
  }
  return text.slice(0, MAX_KEY_FILE_BYTES)
}
