/** The history for the commands that keep turns (ask, chat): the app's database, in the same data folder. */
import type { Settings } from '../shared/settings'
import { userDataDir } from '../core/app-paths'
import type { SpeechSink } from '../core/assistant/speech-queue'
import { modelOfTurn, openHistory, type History } from '../core/conversations/open-history'
import type { CliOptions } from './args'
import type { CliIo } from './cli-context'

export function openCommandHistory(o: {
  options: CliOptions
  settings: Settings
  io: CliIo
  voiceLabel: string | null
  createSink: () => Promise<SpeechSink>
  warn: (s: string) => void
}): History {
  const history = openHistory({
    dataDir: userDataDir({ env: o.io.env }),
    settings: () => o.settings,
    record: () => o.options.history,
    describe: (view) => ({ voice: o.voiceLabel, model: modelOfTurn(o.settings, view) }),
    exportDir: () => process.cwd(),
    createSink: o.createSink,
    // The app may be writing at the same moment: a terminal can wait a little longer than a window.
    busyTimeoutMs: 2000
  })
  history.events.on('problem', (e) => o.warn(`History: ${e.message}`))
  return history
}
