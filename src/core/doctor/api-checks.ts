/** The doctor's first two checks, shared by the app and the command line: is there a key, does MiMo answer with it. */
import type { DoctorCheck } from '../../shared/audio'
import type { Settings } from '../../shared/settings'
import type { ChatCompletion, ChatRequest } from '../mimo/types'
import { toUserError } from '../user-error'

export interface ApiCheckOptions {
  /** The key, and where it came from ("MIMO_API_KEY", "the system keychain", ...). */
  key: { value?: string; from?: string }
  settings: Pick<Settings, 'baseUrl' | 'chatModel'>
  client: { complete(request: ChatRequest): Promise<ChatCompletion> }
  /** What to tell a user with no key. */
  noKeyHint: string
}

export async function runApiChecks(o: ApiCheckOptions): Promise<DoctorCheck[]> {
  const { value, from } = o.key
  if (!value) {
    return [
      { id: 'key', status: 'fail', label: 'API key', detail: 'Not set.', hint: o.noKeyHint },
      { id: 'api', status: 'skipped', label: 'MiMo API', detail: 'Needs a key first.' }
    ]
  }
  const checks: DoctorCheck[] = [{ id: 'key', status: 'ok', label: 'API key', detail: `…${value.slice(-4)}${from ? ` from ${from}` : ''}` }]
  const started = performance.now()
  try {
    await o.client.complete({
      model: o.settings.chatModel,
      messages: [{ role: 'user', content: 'ping' }],
      max_completion_tokens: 1,
      thinking: { type: 'disabled' }
    })
    const ms = Math.round(performance.now() - started)
    checks.push({ id: 'api', status: 'ok', label: 'MiMo API', detail: `${o.settings.baseUrl} answered with ${o.settings.chatModel} in ${ms} ms` })
  } catch (err) {
    const e = toUserError(err)
    const param = e.param && !e.message.includes(e.param) ? ` (${e.param})` : ''
    checks.push({ id: 'api', status: 'fail', label: 'MiMo API', detail: `${o.settings.baseUrl}: ${e.message}${param}`, ...(e.hint ? { hint: e.hint } : {}) })
  }
  return checks
}
