/**
 * The history's parts put together for one assistant, the same for the app and the command: the
 * database in `history/` inside the data folder, the audio tap around the assistant's recorder and
 * player, the recorder of its turns, and the service the window and the command call.
 */
import { join } from 'node:path'
import type { TurnView } from '../../shared/assistant'
import type { Settings } from '../../shared/settings'
import type { Assistant } from '../assistant/assistant'
import { chatModelFor } from '../assistant/requests'
import type { SpeechSink } from '../assistant/speech-queue'
import { createConversationsService, type ConversationsService } from './conversations-service'
import { HISTORY_DIR_NAME, HistoryDatabase } from './history-database'
import { HistoryEvents } from './history-events'
import { TurnAudioTap } from './turn-audio-tap'
import { TurnRecorder } from './turn-recorder'

export interface OpenHistoryOptions {
  dataDir: string
  settings: () => Pick<Settings, 'incognito' | 'keepAudio' | 'historyRetention'>
  /** False for a turn that leaves no trace (the command's --no-history); incognito counts too. */
  record?: () => boolean
  describe: (view: TurnView) => { voice: string | null; model: string | null }
  exportDir: () => string
  /** A speaker for replays. */
  createSink: () => Promise<SpeechSink>
  busyTimeoutMs?: number
}

export interface History {
  database: HistoryDatabase
  events: HistoryEvents
  /** Wraps the recorder and the player given to the assistant (for "keep audio"). */
  tap: TurnAudioTap
  recorder: TurnRecorder
  /**
   * Follows an assistant built on the tap's recorder and player. The assistant returned is the same
   * one, with newConversation() also starting a new kept conversation.
   */
  connect(assistant: Assistant): { assistant: Assistant; conversations: ConversationsService }
  /** Waits for pending writes and closes the file. */
  close(): Promise<void>
}

/** The chat model a turn used (a spoken question needs a model that hears). */
export function modelOfTurn(settings: Pick<Settings, 'chatModel'>, view: Pick<TurnView, 'input'>): string {
  return view.input === 'text' ? settings.chatModel : chatModelFor(settings, { kind: 'audio', bytes: new Uint8Array(0) })
}

export function historyDir(dataDir: string): string {
  return join(dataDir, HISTORY_DIR_NAME)
}

export function openHistory(o: OpenHistoryOptions): History {
  const events = new HistoryEvents()
  const database = new HistoryDatabase({ dir: historyDir(o.dataDir), onProblem: events.problem, busyTimeoutMs: o.busyTimeoutMs })
  const keep = (): boolean => (o.record?.() ?? true) && !o.settings().incognito
  const tap = new TurnAudioTap(() => keep() && o.settings().keepAudio)
  const recorder = new TurnRecorder({ database, enabled: keep, describe: o.describe, tap, onChange: events.change })
  const unsubscribe: Array<() => void> = []

  return {
    database,
    events,
    tap,
    recorder,
    connect(inner) {
      unsubscribe.push(tap.follow(inner), recorder.attach(inner))
      const assistant: Assistant = {
        ...inner,
        newConversation() {
          recorder.newConversation()
          return inner.newConversation()
        }
      }
      const conversations = createConversationsService({
        database,
        recorder,
        assistant: inner,
        retention: () => o.settings().historyRetention,
        exportDir: o.exportDir,
        createSink: o.createSink,
        events
      })
      return { assistant, conversations }
    },
    async close() {
      for (const off of unsubscribe.splice(0)) off()
      await recorder.flush()
      database.close()
    }
  }
}
