/** `mimo-voice dictate --mic|--audio FILE [--type]`: dictation from a terminal (or a desktop key binding). */
import type { Dictation } from '../shared/modes'
import { userDataDir } from '../core/app-paths'
import { dictationKeeper } from '../core/conversations/dictation-keeper'
import { HistoryDatabase } from '../core/conversations/history-database'
import { historyDir, modelOfTurn } from '../core/conversations/open-history'
import { Microphone } from '../core/audio/microphone'
import { Recorder } from '../core/audio/recorder'
import { commandDesktop } from '../core/dictation/command-desktop'
import { DictationService } from '../core/dictation/dictation'
import { TextInserter } from '../core/dictation/text-inserter'
import type { CliOptions } from './args'
import { createClient, loadSettings, readQuestionAudio, requireKey, type CliIo } from './cli-context'
import { onEnter } from './enter-key'
import { describeError, EXIT, exitCodeFor } from './exit-codes'
import { exitCodeForSignal, onStopSignal } from './stop-signals'

export async function runDictate(options: CliOptions, io: CliIo): Promise<number> {
  const say = (s: string): void => void io.stderr.write(`${s}\n`)
  const settings = loadSettings(options, io.env, say)
  const key = await requireKey(options, io, settings)
  const audio = options.audio !== undefined ? await readQuestionAudio(options.audio) : undefined
  const client = createClient(settings, key)
  const platform = process.platform
  const inserter = options.type
    ? new TextInserter({ ...commandDesktop({ env: io.env, platform }), pasteKey: () => settings.dictationPasteKey, platform })
    : undefined
  // Kept in the history like the app's dictations, unless --no-history (or incognito).
  const database = options.history
    ? new HistoryDatabase({ dir: historyDir(userDataDir({ env: io.env })), busyTimeoutMs: 2000, onProblem: (e) => say(`History: ${e.message}`) })
    : undefined
  const dictation = new DictationService({
    client,
    recorder: new Recorder({ device: settings.inputDevice, env: io.env, lowLatency: true }),
    microphone: new Microphone(),
    settings: () => settings,
    inserter,
    ...(database ? { keep: dictationKeeper({ database, enabled: () => !settings.incognito, model: () => modelOfTurn(settings, { input: 'voice' }) }) } : {})
  })

  // Ctrl+C or SIGTERM: the recording is dropped (never sent), a transcription under way is abandoned.
  const controller = new AbortController()
  const signals = onStopSignal(() => {
    controller.abort()
    dictation.cancel()
  })
  let offEnter = (): void => {}
  try {
    let result: Dictation
    if (audio) {
      result = await dictation.dictateAudio(audio, { insert: options.type, signal: controller.signal })
    } else {
      const done = new Promise<Dictation>((resolve) => dictation.on('done', resolve))
      const idle = new Promise<void>((resolve) => dictation.on('state', (s) => s.phase === 'idle' && resolve()))
      // No key to let go of: a pause ends it (the settings' silence), and Enter on a terminal.
      dictation.press({ stopOnSilenceMs: settings.silenceMs })
      say(`Dictating… ${io.stdin.isTTY ? 'press Enter or ' : ''}pause to finish.`)
      offEnter = onEnter(io.stdin, () => dictation.release())
      const first = await Promise.race([done, idle.then(() => null)])
      if (!first) return exitCodeForSignal(signals.received() ?? 'SIGINT')
      result = first
    }
    const signal = signals.received()
    if (signal) return exitCodeForSignal(signal)
    await dictation.settled()
    if (options.json) io.stdout.write(`${JSON.stringify(result)}\n`)
    else if (result.text) io.stdout.write(`${result.text}\n`)
    if (result.error) {
      if (!options.json) say(describeError(result.error))
      return exitCodeFor(result.error)
    }
    if (result.notice && !options.json) say(result.notice)
    if (!result.text) return EXIT.usage
    return EXIT.ok
  } finally {
    offEnter()
    signals.off()
    dictation.dispose()
    database?.close()
    await client.close().catch(() => {})
  }
}
