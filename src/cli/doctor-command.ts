/** `mimo-voice doctor`: is everything in place for a spoken answer? Each failing check says how to fix it. */
import type { DoctorCheck } from '../shared/audio'
import { playerFactory } from '../core/audio/player'
import { Recorder } from '../core/audio/recorder'
import { runAudioChecks } from '../core/audio/doctor'
import { runApiChecks } from '../core/doctor/api-checks'
import type { CliOptions } from './args'
import { checkBaseUrl, NO_KEY, readApiKey } from './api-access'
import { createClient, loadSettings, type CliIo } from './cli-context'
import { EXIT } from './exit-codes'

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skipped: 'skip' }

export async function runDoctor(options: CliOptions, io: CliIo): Promise<number> {
  const settings = loadSettings(options, io.env, (s) => void io.stderr.write(`${s}\n`))
  const { key, from } = await readApiKey(options, io, (s) => void io.stderr.write(`${s}\n`))
  const checks: DoctorCheck[] = []
  let refused: string | undefined
  try {
    checkBaseUrl(settings, options, io.env)
  } catch (err) {
    refused = (err as Error).message
  }
  if (refused && key) {
    checks.push(
      { id: 'key', status: 'ok', label: 'API key', detail: `…${key.slice(-4)}${from ? ` from ${from}` : ''}` },
      { id: 'api', status: 'fail', label: 'MiMo API', detail: refused }
    )
  } else {
    const client = createClient(settings, key ?? '')
    try {
      checks.push(...(await runApiChecks({ key: { value: key, from }, settings, client, noKeyHint: NO_KEY.replace(/^No MiMo API key: s/, 'S') })))
    } finally {
      await client.close().catch(() => {})
    }
  }

  checks.push(
    ...(await runAudioChecks({
      recorder: new Recorder({ device: settings.inputDevice, env: io.env }),
      createPlayer: playerFactory(() => settings, { env: io.env }),
      micTest: true
    }))
  )

  if (options.json) io.stdout.write(`${JSON.stringify({ checks })}\n`)
  else
    for (const c of checks) {
      io.stdout.write(`[${MARK[c.status]}] ${c.label.padEnd(11)} ${c.detail}\n`)
      if (c.hint && c.status !== 'ok') io.stdout.write(`       ${c.hint}\n`)
    }

  const failed = (ids: DoctorCheck['id'][]): boolean => checks.some((c) => ids.includes(c.id) && c.status === 'fail')
  if (failed(['key', 'api'])) return EXIT.api
  if (failed(['recorder', 'player', 'microphone', 'playback'])) return EXIT.audio
  return EXIT.ok
}
