/**
 * Conversations and their turns in SQLite (libsql), with a full-text index over questions and answers.
 * One connection writes; every change is one transaction. Audio files named by a turn are removed
 * after the transaction that removes the turn.
 */
import type { Source, TurnInput, TurnTimings, TurnUsage } from '../../shared/assistant'
import type { ToolCallView } from '../../shared/tools'
import type { UserError } from '../../shared/errors'
import type {
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  HistoryCursor,
  SearchHit,
  StoredTurn,
  StoredTurnStatus
} from '../../shared/history'
import { AudioFolder, type AudioPart } from './audio-folder'
import { HistoryNotFoundError } from './errors'
import type { SqlDatabase } from './schema'
import { indexText, matchQuery, queryTerms, snippet } from './search-text'

/** A turn to keep: what the history shows of it, less its ids and kept audio, plus the assistant's id for it. */
export type NewTurn = Omit<StoredTurn, 'id' | 'conversationId' | 'audio'> & { turnKey: string }

interface TurnRow {
  id: number
  conversation_id: number
  turn_key: string
  started_at: number
  input: string
  question: string | null
  file_name: string | null
  reply: string
  spoken: string
  status: string
  voice: string | null
  model: string | null
  timings: string
  usage: string | null
  sources: string
  search_error: string | null
  tool_calls: string
  error: string | null
  question_audio: string | null
  answer_audio: string | null
}

interface SummaryRow {
  id: number
  title: string | null
  started_at: number
  updated_at: number
  turn_count: number
  first_question: string | null
}

const SUMMARY = `
  SELECT c.id, c.title, c.started_at, c.updated_at,
    (SELECT count(*) FROM turns t WHERE t.conversation_id = c.id) AS turn_count,
    (SELECT coalesce(t.question, t.file_name) FROM turns t WHERE t.conversation_id = c.id ORDER BY t.id LIMIT 1) AS first_question
  FROM conversations c`

export const MAX_PAGE = 200

export class ConversationStore {
  readonly #db: SqlDatabase
  readonly #audio: AudioFolder

  constructor(db: SqlDatabase, audio: AudioFolder) {
    this.#db = db
    this.#audio = audio
  }

  get audio(): AudioFolder {
    return this.#audio
  }

  createConversation(startedAt: number): number {
    const r = this.#db.prepare('INSERT INTO conversations (started_at, updated_at) VALUES (?, ?)').run(startedAt, startedAt)
    return Number(r.lastInsertRowid)
  }

  /** Keeps a turn at the end of a conversation; returns its id. */
  addTurn(conversationId: number, t: NewTurn): number {
    return this.#db.transaction(() => {
      const r = this.#db
        .prepare(
          `INSERT INTO turns (conversation_id, turn_key, started_at, input, question, file_name, reply, spoken, status,
             voice, model, timings, usage, sources, search_error, error, tool_calls)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          conversationId,
          t.turnKey,
          t.startedAt,
          t.input,
          t.question,
          t.fileName,
          t.reply,
          t.spoken,
          t.status,
          t.voice,
          t.model,
          JSON.stringify(t.timings),
          t.usage ? JSON.stringify(t.usage) : null,
          JSON.stringify(t.sources),
          t.searchError,
          t.error ? JSON.stringify(t.error) : null,
          JSON.stringify(t.toolCalls)
        )
      const id = Number(r.lastInsertRowid)
      this.#index(id, t.question, t.reply)
      const changed = this.#db
        .prepare('UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?')
        .run(Math.max(t.startedAt, Date.now()), conversationId)
      if (changed.changes === 0) throw new HistoryNotFoundError('conversation')
      return id
    })()
  }

  /** The transcript of a spoken question arrived after the turn was kept. */
  setQuestion(turnId: number, question: string): void {
    this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT reply FROM turns WHERE id = ?').get(turnId) as { reply: string } | undefined
      if (!row) return
      this.#db.prepare('UPDATE turns SET question = ? WHERE id = ?').run(question, turnId)
      this.#db.prepare('DELETE FROM turns_search WHERE rowid = ?').run(turnId)
      this.#index(turnId, question, row.reply)
    })()
  }

  /** Records that a turn's audio file was written. */
  setAudio(turnId: number, part: AudioPart, name: string): void {
    const column = part === 'question' ? 'question_audio' : 'answer_audio'
    const r = this.#db.prepare(`UPDATE turns SET ${column} = ? WHERE id = ?`).run(name, turnId)
    // The turn went (deleted meanwhile): so does its file.
    if (r.changes === 0) this.#audio.remove([name])
  }

  /** Newest conversations first, `limit` at a time; `before` continues after a page. */
  list(o: { before?: HistoryCursor | null; limit?: number } = {}): ConversationPage {
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(o.limit ?? 50)))
    const rows = (
      o.before
        ? this.#db
            .prepare(`${SUMMARY} WHERE (c.updated_at, c.id) < (?, ?) ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`)
            .all(o.before.updatedAt, o.before.id, limit + 1)
        : this.#db.prepare(`${SUMMARY} ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`).all(limit + 1)
    ) as SummaryRow[]
    const conversations = rows.slice(0, limit).map(toSummary)
    const last = conversations[conversations.length - 1]
    return { conversations, next: rows.length > limit && last ? { updatedAt: last.updatedAt, id: last.id } : null }
  }

  summary(id: number): ConversationSummary {
    const row = this.#db.prepare(`${SUMMARY} WHERE c.id = ?`).get(id) as SummaryRow | undefined
    if (!row) throw new HistoryNotFoundError('conversation')
    return toSummary(row)
  }

  get(id: number): ConversationDetail {
    const summary = this.summary(id)
    const turns = (this.#db.prepare('SELECT * FROM turns WHERE conversation_id = ? ORDER BY id').all(id) as TurnRow[]).map(toTurn)
    return { ...summary, turns }
  }

  turn(id: number): StoredTurn {
    const row = this.#db.prepare('SELECT * FROM turns WHERE id = ?').get(id) as TurnRow | undefined
    if (!row) throw new HistoryNotFoundError('turn')
    return toTurn(row)
  }

  /** The name of a turn's kept audio file. */
  audioFile(turnId: number, part: AudioPart): string {
    const column = part === 'question' ? 'question_audio' : 'answer_audio'
    const row = this.#db.prepare(`SELECT ${column} AS name FROM turns WHERE id = ?`).get(turnId) as { name: string | null } | undefined
    if (!row) throw new HistoryNotFoundError('turn')
    if (!row.name) throw new HistoryNotFoundError('audio')
    return row.name
  }

  /** The most recently continued conversation, if any. */
  latestId(): number | null {
    const row = this.#db.prepare('SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1').get() as { id: number } | undefined
    return row ? row.id : null
  }

  /** Turns whose question or answer holds every word of `text`, newest first. */
  search(text: string, limit = 50): SearchHit[] {
    const query = matchQuery(text)
    if (!query) return []
    const rows = this.#db
      .prepare(
        `SELECT t.id, t.conversation_id, t.started_at, t.question, t.file_name, t.reply, c.title,
           (SELECT coalesce(f.question, f.file_name) FROM turns f WHERE f.conversation_id = c.id ORDER BY f.id LIMIT 1) AS first_question
         FROM (SELECT rowid AS id FROM turns_search WHERE turns_search MATCH ? ORDER BY rowid DESC LIMIT ?) s
         JOIN turns t ON t.id = s.id JOIN conversations c ON c.id = t.conversation_id
         ORDER BY t.id DESC`
      )
      .all(query, Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)))) as Array<{
      id: number
      conversation_id: number
      started_at: number
      question: string | null
      file_name: string | null
      reply: string
      title: string | null
      first_question: string | null
    }>
    const terms = queryTerms(text)
    return rows.map((r) => ({
      turnId: r.id,
      conversationId: r.conversation_id,
      conversationTitle: r.title ?? r.first_question,
      startedAt: r.started_at,
      question: snippet(r.question ?? r.file_name ?? '', terms),
      answer: snippet(r.reply, terms)
    }))
  }

  /** An empty or blank title goes back to the first question. */
  rename(id: number, title: string): ConversationSummary {
    const r = this.#db.prepare('UPDATE conversations SET title = ? WHERE id = ?').run(title.trim() || null, id)
    if (r.changes === 0) throw new HistoryNotFoundError('conversation')
    return this.summary(id)
  }

  /** Deletes a conversation, its turns and their audio. */
  remove(id: number): void {
    const files = this.#db.transaction(() => {
      const names = this.#audioOf('conversation_id = ?', id)
      this.#db.prepare('DELETE FROM turns_search WHERE rowid IN (SELECT id FROM turns WHERE conversation_id = ?)').run(id)
      this.#db.prepare('DELETE FROM turns WHERE conversation_id = ?').run(id)
      const r = this.#db.prepare('DELETE FROM conversations WHERE id = ?').run(id)
      if (r.changes === 0) throw new HistoryNotFoundError('conversation')
      return names
    })()
    this.#audio.remove(files)
  }

  /** Deletes everything kept. */
  clear(): void {
    this.#db.transaction(() => {
      this.#db.exec(`INSERT INTO turns_search (turns_search) VALUES ('delete-all'); DELETE FROM turns; DELETE FROM conversations;`)
    })()
    this.#audio.clear()
  }

  /** Deletes turns that started before `cutoff` (ms), their audio, and conversations left empty. */
  deleteBefore(cutoff: number): number {
    const { files, count } = this.#db.transaction(() => {
      const names = this.#audioOf('started_at < ?', cutoff)
      this.#db.prepare('DELETE FROM turns_search WHERE rowid IN (SELECT id FROM turns WHERE started_at < ?)').run(cutoff)
      const r = this.#db.prepare('DELETE FROM turns WHERE started_at < ?').run(cutoff)
      if (r.changes > 0) this.#db.exec('DELETE FROM conversations WHERE NOT EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = conversations.id)')
      return { files: names, count: r.changes }
    })()
    this.#audio.remove(files)
    return count
  }

  /** Every conversation, oldest first (for an export of everything). */
  allIds(): number[] {
    return (this.#db.prepare('SELECT id FROM conversations ORDER BY started_at, id').all() as Array<{ id: number }>).map((r) => r.id)
  }

  counts(): { conversations: number; turns: number } {
    const row = this.#db.prepare('SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM turns) AS t').get() as { c: number; t: number }
    return { conversations: Number(row.c), turns: Number(row.t) }
  }

  #index(id: number, question: string | null, reply: string): void {
    this.#db.prepare('INSERT INTO turns_search (rowid, question, answer) VALUES (?, ?, ?)').run(id, indexText(question ?? ''), indexText(reply))
  }

  #audioOf(where: string, value: number): string[] {
    const rows = this.#db
      .prepare(`SELECT question_audio, answer_audio FROM turns WHERE ${where} AND (question_audio IS NOT NULL OR answer_audio IS NOT NULL)`)
      .all(value) as Array<{ question_audio: string | null; answer_audio: string | null }>
    return rows.flatMap((r) => [r.question_audio, r.answer_audio]).filter((n): n is string => !!n)
  }
}

function toSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    title: r.title ?? r.first_question,
    renamed: r.title !== null,
    startedAt: Number(r.started_at),
    updatedAt: Number(r.updated_at),
    turnCount: Number(r.turn_count)
  }
}

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

function toTurn(r: TurnRow): StoredTurn {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    startedAt: Number(r.started_at),
    input: r.input as TurnInput,
    question: r.question,
    fileName: r.file_name,
    reply: r.reply,
    spoken: r.spoken,
    status: r.status as StoredTurnStatus,
    voice: r.voice,
    model: r.model,
    timings: parse<TurnTimings>(r.timings, {}),
    usage: parse<TurnUsage | null>(r.usage, null),
    sources: parse<Source[]>(r.sources, []),
    searchError: r.search_error,
    toolCalls: parse<ToolCallView[]>(r.tool_calls, []),
    error: parse<UserError | null>(r.error, null),
    audio: { question: !!r.question_audio, answer: !!r.answer_audio }
  }
}
