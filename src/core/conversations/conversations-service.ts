/**
 * The history as the window and the command use it: list, open, search, rename, delete, retention,
 * export, replay kept audio, and continue a kept conversation with the assistant.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TurnBase, TurnView } from '../../shared/assistant'
import type { UserError } from '../../shared/errors'
import type { AssistantSnapshot, PreviewResult } from '../../shared/ipc'
import {
  RETENTION_DAYS,
  type ConversationDetail,
  type ConversationPage,
  type ConversationSummary,
  type ExportFormat,
  type ExportResult,
  type HistoryCursor,
  type HistoryRetention,
  type HistoryStatus,
  type SearchHit,
  type StoredTurn
} from '../../shared/history'
import type { SpeechSink } from '../assistant/speech-queue'
import type { AudioPart } from './audio-folder'
import { exportText } from './export'
import type { HistoryDatabase } from './history-database'
import type { HistoryEvents } from './history-events'
import { decodeMp3ToPcm } from './mp3-codec'
import { SPEECH_RATE } from './turn-audio-tap'
import type { TurnRecorder } from './turn-recorder'

const DAY_MS = 24 * 60 * 60 * 1000

export interface ConversationsDeps {
  database: HistoryDatabase
  /** The recorder and the assistant a continued conversation goes on in (absent where nothing is asked). */
  recorder?: TurnRecorder
  assistant?: { resume(earlier: TurnView[]): AssistantSnapshot }
  retention: () => HistoryRetention
  /** Where exports are written (the user's Downloads folder in the app). */
  exportDir: () => string
  /** A speaker for replays (24 kHz mono PCM16). */
  createSink: () => Promise<SpeechSink>
  events: HistoryEvents
  now?: () => number
}

export interface ConversationsService {
  status(): HistoryStatus
  list(o?: { before?: HistoryCursor | null; limit?: number }): ConversationPage
  get(id: number): ConversationDetail
  search(text: string, limit?: number): SearchHit[]
  rename(id: number, title: string): ConversationSummary
  remove(id: number): void
  clear(): void
  /** The latest conversation's id, if any. */
  latestId(): number | null
  /** Deletes what the retention setting says is due; returns how many turns went. */
  applyRetention(): number
  /** One conversation (or all, oldest first) as text. */
  exportText(format: ExportFormat, id?: number): { text: string; conversations: number; turns: number }
  /** Writes an export into the export folder. */
  exportFile(format: ExportFormat, id?: number): ExportResult
  /** Plays a kept recording or answer through the speaker. */
  replay(turnId: number, part: AudioPart): Promise<PreviewResult>
  stopReplay(): void
  /** Opens a kept conversation in the assistant: its turns become the history, and new turns are added to it. */
  continue(id: number): AssistantSnapshot
  on(e: 'change', l: () => void): () => void
  on(e: 'problem', l: (error: UserError) => void): () => void
}

/** A kept turn as the assistant shows it (ended, not retryable). */
export function turnViewOf(t: StoredTurn): TurnView {
  const base: TurnBase = {
    id: `kept-${t.id}`,
    input: t.input,
    ...(t.question !== null ? { question: t.question } : t.fileName ? { question: t.fileName } : {}),
    reply: t.reply,
    spoken: t.spoken,
    sources: t.sources,
    ...(t.searchError ? { searchError: t.searchError } : {}),
    ...(t.toolCalls.length ? { toolCalls: t.toolCalls } : {}),
    timings: t.timings,
    ...(t.usage ? { usage: t.usage } : {}),
    startedAt: new Date(t.startedAt).toISOString()
  }
  if (t.status === 'error') {
    return { ...base, status: 'error', error: t.error ?? { kind: 'internal', message: 'This question failed.' }, canRetry: false }
  }
  return { ...base, status: t.status }
}

function fileStem(title: string | null, at: number): string {
  const date = new Date(at).toISOString().slice(0, 10)
  const name = (title ?? '')
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `mimo-voice-${name || 'conversation'}-${date}`
}

export function createConversationsService(d: ConversationsDeps): ConversationsService {
  const now = d.now ?? (() => Date.now())
  const db = d.database
  let playing: { sink: SpeechSink | null; stopped: boolean } | null = null

  const details = (id?: number): ConversationDetail[] =>
    db.use((store) => (id === undefined ? store.allIds() : [id]).map((i) => store.get(i)))

  const service: ConversationsService = {
    status: () => db.status(),
    list: (o) => db.use((store) => store.list(o)),
    get: (id) => db.use((store) => store.get(id)),
    search: (text, limit) => db.use((store) => store.search(text, limit)),
    rename(id, title) {
      const out = db.use((store) => store.rename(id, title))
      d.events.change()
      return out
    },
    remove(id) {
      db.use((store) => store.remove(id))
      if (d.recorder?.conversationId === id) d.recorder.newConversation()
      d.events.change()
    },
    clear() {
      db.use((store) => store.clear())
      d.recorder?.newConversation()
      d.events.change()
    },
    latestId: () => db.use((store) => store.latestId()),
    applyRetention() {
      const days = RETENTION_DAYS[d.retention()]
      if (days === null) return 0
      const deleted = db.use((store) => store.deleteBefore(now() - days * DAY_MS))
      if (deleted > 0) d.events.change()
      return deleted
    },
    exportText(format, id) {
      const conversations = details(id)
      return {
        text: exportText(conversations, format, now()),
        conversations: conversations.length,
        turns: conversations.reduce((n, c) => n + c.turns.length, 0)
      }
    },
    exportFile(format, id) {
      const out = service.exportText(format, id)
      const dir = d.exportDir()
      mkdirSync(dir, { recursive: true })
      const title = id === undefined ? 'history' : db.use((store) => store.summary(id)).title
      const stem = fileStem(title, now())
      let path = join(dir, `${stem}.${format}`)
      for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}-${n}.${format}`)
      writeFileSync(path, out.text)
      return { path, conversations: out.conversations, turns: out.turns }
    },
    async replay(turnId, part) {
      const bytes = db.use((store) => store.audio.read(store.audioFile(turnId, part)))
      const pcm = await decodeMp3ToPcm(bytes, SPEECH_RATE)
      service.stopReplay()
      const current: { sink: SpeechSink | null; stopped: boolean } = { sink: null, stopped: false }
      playing = current
      const sink = await d.createSink()
      current.sink = sink
      if (current.stopped) {
        sink.stop()
        return { durationMs: 0, stopped: true }
      }
      try {
        sink.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength))
        await sink.end()
      } catch (err) {
        if (!current.stopped) throw err
      } finally {
        if (playing === current) playing = null
      }
      return { durationMs: Math.round((pcm.length / SPEECH_RATE) * 1000), ...(current.stopped ? { stopped: true } : {}) }
    },
    stopReplay() {
      const current = playing
      if (!current) return
      playing = null
      current.stopped = true
      current.sink?.stop()
    },
    continue(id) {
      if (!d.assistant || !d.recorder) throw new Error('continue needs an assistant')
      const conversation = db.use((store) => store.get(id))
      const snapshot = d.assistant.resume(conversation.turns.map(turnViewOf))
      d.recorder.continueConversation(id)
      return snapshot
    },
    on: d.events.on.bind(d.events) as ConversationsService['on']
  }
  return service
}
