/**
 * The conversation database on real files (libsql): schema steps from an empty file and from each
 * earlier version, search in English and Chinese, paging, rename, delete (audio files included),
 * retention and clearing.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AudioFolder } from '../../../src/core/conversations/audio-folder'
import { HistoryNotFoundError } from '../../../src/core/conversations/errors'
import { HistoryDatabase, HISTORY_FILE_NAME } from '../../../src/core/conversations/history-database'
import { MIGRATIONS, migrate, SCHEMA_VERSION, schemaVersion } from '../../../src/core/conversations/schema'
import { indexText } from '../../../src/core/conversations/search-text'
import { newTurn, tempDir } from './stored-turns'

let temp: { dir: string; remove(): void }
let db: HistoryDatabase

beforeEach(() => {
  temp = tempDir()
  db = new HistoryDatabase({ dir: temp.dir })
})
afterEach(() => {
  db.close()
  temp.remove()
})

const DAY = 24 * 60 * 60 * 1000

/** Rows as a file of `version` holds them, written with that version's columns only. */
function seedVersion(file: string, version: number): void {
  const raw = new Database(file)
  migrate(raw, version)
  expect(schemaVersion(raw)).toBe(version)
  if (version >= 1) {
    raw.prepare('INSERT INTO conversations (id, title, started_at, updated_at) VALUES (1, NULL, 1000, 2000)').run()
    const insert = raw.prepare(
      `INSERT INTO turns (conversation_id, turn_key, started_at, input, question, reply, spoken, status, timings, sources)
       VALUES (1, ?, ?, 'text', ?, ?, ?, 'done', '{}', '[]')`
    )
    insert.run('t1', 1000, 'How long should I boil an egg?', 'About nine minutes for a firm yolk.', 'About nine minutes for a firm yolk.')
    insert.run('t2', 2000, '今天北京的天气怎么样？', '北京今天晴，最高气温二十四度。', '北京今天晴，最高气温二十四度。')
  }
  if (version >= 2) {
    // From version 2 on, the app indexes each turn as it keeps it.
    const index = raw.prepare('INSERT INTO turns_search (rowid, question, answer) VALUES (?, ?, ?)')
    for (const row of raw.prepare('SELECT id, question, reply FROM turns').all() as Array<{ id: number; question: string; reply: string }>)
      index.run(row.id, indexText(row.question), indexText(row.reply))
  }
  raw.close()
}

describe('schema steps', () => {
  it('a missing file and an empty file both come up at the current version, in WAL mode', () => {
    expect(db.use((s) => s.counts())).toEqual({ conversations: 0, turns: 0 })
    db.close()
    const raw = new Database(join(temp.dir, HISTORY_FILE_NAME))
    expect(schemaVersion(raw)).toBe(SCHEMA_VERSION)
    expect((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal')
    raw.close()

    const other = tempDir()
    try {
      writeFileSync(join(other.dir, HISTORY_FILE_NAME), '')
      const fromEmpty = new HistoryDatabase({ dir: other.dir })
      expect(fromEmpty.use((s) => s.search('egg'))).toEqual([])
      fromEmpty.close()
      expect(existsSync(join(other.dir, HISTORY_FILE_NAME))).toBe(true)
    } finally {
      other.remove()
    }
  })

  it('every step is numbered in order, the last one is the current version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length)
  })

  for (const version of MIGRATIONS.map((m) => m.version).filter((v) => v < SCHEMA_VERSION)) {
    it(`a file of version ${version} keeps its turns, and they can be searched after the upgrade`, () => {
      seedVersion(join(temp.dir, HISTORY_FILE_NAME), version)
      const page = db.use((s) => s.list())
      expect(page.conversations).toHaveLength(1)
      expect(page.conversations[0]).toMatchObject({ title: 'How long should I boil an egg?', turnCount: 2, startedAt: 1000, updatedAt: 2000 })
      expect(db.use((s) => s.search('boil')).map((h) => h.question.text)).toEqual(['How long should I boil an egg?'])
      expect(db.use((s) => s.search('天气')).map((h) => h.answer.text)).toEqual(['北京今天晴，最高气温二十四度。'])
      const turns = db.use((s) => s.get(1)).turns
      expect(turns.map((t) => t.audio)).toEqual([
        { question: false, answer: false },
        { question: false, answer: false }
      ])
      expect(turns.map((t) => t.toolCalls)).toEqual([[], []])
      db.close()
      const raw = new Database(join(temp.dir, HISTORY_FILE_NAME))
      expect(schemaVersion(raw)).toBe(SCHEMA_VERSION)
      raw.close()
    })
  }

  it('a file from a newer version is left as it is, and says why', () => {
    const file = join(temp.dir, HISTORY_FILE_NAME)
    seedVersion(file, SCHEMA_VERSION)
    const raw = new Database(file)
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    expect(() => db.use((s) => s.list())).toThrow(/newer version/)
    expect(db.status().available).toBe(false)
    const again = new Database(file)
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION + 1)
    expect((again.prepare('SELECT count(*) AS n FROM turns').get() as { n: number }).n).toBe(2)
    again.close()
  })
})

describe('tool calls', () => {
  it('a turn keeps its tool calls, read back as they were', () => {
    const calls = [
      { id: 'call_1', round: 1, tool: 'set_timer', arguments: '{"seconds":600}', status: 'done' as const, result: '{"set":{"id":"a1b2c3"}}', durationMs: 3 },
      { id: 'call_2', round: 2, tool: 'write_file', server: 'files', arguments: '{}', status: 'refused' as const, error: 'The user did not allow it.', durationMs: 0 }
    ]
    const id = db.use((s) => {
      const c = s.createConversation(Date.now())
      s.addTurn(c, newTurn({ question: 'Set a timer for ten minutes.', reply: 'Done.', toolCalls: calls }))
      return c
    })
    expect(db.use((s) => s.get(id)).turns[0].toolCalls).toEqual(calls)
  })
})

describe('search', () => {
  beforeEach(() => {
    db.use((s) => {
      const a = s.createConversation(Date.now() - 3000)
      s.addTurn(a, newTurn({ question: 'What is the weather like in Beijing today?', reply: 'Sunny, with a light breeze.' }))
      s.addTurn(a, newTurn({ question: '明天会下雨吗？', reply: '明天北京多云，傍晚可能有小雨。' }))
      const b = s.createConversation(Date.now() - 1000)
      s.addTurn(b, newTurn({ question: '用一句话介绍一下小米MiMo。', reply: 'MiMo是小米的大语言模型。' }))
      s.addTurn(b, newTurn({ question: 'How do I boil an egg?', reply: 'Put it in boiling water for nine minutes.' }))
    })
  })

  it('finds English words in questions and answers, by their first letters too, newest first', () => {
    expect(db.use((s) => s.search('breeze')).map((h) => h.question.text)).toEqual(['What is the weather like in Beijing today?'])
    expect(db.use((s) => s.search('weath beij')).map((h) => h.question.text)).toEqual(['What is the weather like in Beijing today?'])
    expect(db.use((s) => s.search('boil')).map((h) => h.question.text)).toEqual(['How do I boil an egg?'])
    expect(db.use((s) => s.search('mimo')).map((h) => h.question.text)).toEqual(['用一句话介绍一下小米MiMo。'])
    expect(db.use((s) => s.search('nothing-like-this'))).toEqual([])
  })

  it('finds a word inside a Chinese sentence, of two characters, one, or more', () => {
    const questions = (q: string): string[] => db.use((s) => s.search(q)).map((h) => h.question.text)
    expect(questions('下雨')).toEqual(['明天会下雨吗？'])
    expect(questions('小雨')).toEqual(['明天会下雨吗？'])
    expect(questions('小米')).toEqual(['用一句话介绍一下小米MiMo。'])
    expect(questions('语言模型')).toEqual(['用一句话介绍一下小米MiMo。'])
    expect(questions('雨')).toEqual(['明天会下雨吗？'])
    // Characters that are each there, but not next to each other, are not the word.
    expect(questions('北雨')).toEqual([])
  })

  it('marks where the word is in the excerpt, and names the conversation', () => {
    const [hit] = db.use((s) => s.search('傍晚'))
    expect(hit.answer.text.slice(hit.answer.match!.start, hit.answer.match!.start + hit.answer.match!.length)).toBe('傍晚')
    expect(hit.conversationTitle).toBe('What is the weather like in Beijing today?')
  })

  it('a transcript that arrives later is searchable; the words it replaced are not', () => {
    const id = db.use((s) => {
      const c = s.createConversation(Date.now())
      return s.addTurn(c, newTurn({ input: 'voice', question: null, reply: 'Nine minutes.' }))
    })
    db.use((s) => s.setQuestion(id, 'How long for a hard egg?'))
    expect(db.use((s) => s.search('hard')).map((h) => h.turnId)).toEqual([id])
    db.use((s) => s.setQuestion(id, 'How long for a soft egg?'))
    expect(db.use((s) => s.search('hard'))).toEqual([])
  })
})

describe('the list, renaming and deleting', () => {
  it('pages through conversations newest first, and names each by its first question until renamed', () => {
    const now = Date.now()
    const ids = db.use((s) =>
      Array.from({ length: 7 }, (_, i) => {
        const c = s.createConversation(now - (10 - i) * 1000)
        s.addTurn(c, newTurn({ question: `Question ${i}`, reply: `Answer ${i}`, startedAt: now - (10 - i) * 1000 }))
        return c
      })
    )
    const first = db.use((s) => s.list({ limit: 3 }))
    expect(first.conversations.map((c) => c.title)).toEqual(['Question 6', 'Question 5', 'Question 4'])
    const second = db.use((s) => s.list({ limit: 3, before: first.next }))
    expect(second.conversations.map((c) => c.title)).toEqual(['Question 3', 'Question 2', 'Question 1'])
    const last = db.use((s) => s.list({ limit: 3, before: second.next }))
    expect(last.conversations.map((c) => c.title)).toEqual(['Question 0'])
    expect(last.next).toBeNull()

    expect(db.use((s) => s.rename(ids[2], '  Boiled eggs  '))).toMatchObject({ title: 'Boiled eggs', renamed: true })
    expect(db.use((s) => s.rename(ids[2], ' '))).toMatchObject({ title: 'Question 2', renamed: false })
    expect(() => db.use((s) => s.rename(9999, 'x'))).toThrow(HistoryNotFoundError)
  })

  it('deleting a conversation removes its turns, their index entries and their audio files, and nothing else', () => {
    const audio = new AudioFolder(join(temp.dir, 'audio'))
    const [keep, drop] = db.use((s) => {
      const k = s.createConversation(Date.now())
      const kt = s.addTurn(k, newTurn({ question: 'Keep this egg question', reply: 'Kept.' }))
      const d = s.createConversation(Date.now())
      const dt = s.addTurn(d, newTurn({ question: 'Drop this egg question', reply: 'Dropped.' }))
      for (const [turn, part] of [[kt, 'answer'], [dt, 'question'], [dt, 'answer']] as const) {
        audio.write(AudioFolder.fileName(turn, part), new Uint8Array([1, 2, 3]))
        s.setAudio(turn, part, AudioFolder.fileName(turn, part))
      }
      return [
        { id: k, turn: kt },
        { id: d, turn: dt }
      ]
    })
    db.use((s) => s.remove(drop.id))
    expect(existsSync(join(audio.dir, AudioFolder.fileName(drop.turn, 'question')))).toBe(false)
    expect(existsSync(join(audio.dir, AudioFolder.fileName(drop.turn, 'answer')))).toBe(false)
    expect(existsSync(join(audio.dir, AudioFolder.fileName(keep.turn, 'answer')))).toBe(true)
    expect(db.use((s) => s.search('egg')).map((h) => h.conversationId)).toEqual([keep.id])
    expect(db.use((s) => s.counts())).toEqual({ conversations: 1, turns: 1 })
    expect(() => db.use((s) => s.get(drop.id))).toThrow(HistoryNotFoundError)

    db.use((s) => s.clear())
    expect(db.use((s) => s.counts())).toEqual({ conversations: 0, turns: 0 })
    expect(db.use((s) => s.search('egg'))).toEqual([])
    expect(existsSync(join(audio.dir, AudioFolder.fileName(keep.turn, 'answer')))).toBe(false)
  })

  it('retention deletes the turns that are due, with their audio, and conversations left empty; nothing else', () => {
    const now = Date.now()
    const audio = new AudioFolder(join(temp.dir, 'audio'))
    const ids = db.use((s) => {
      const old = s.createConversation(now - 40 * DAY)
      const oldTurn = s.addTurn(old, newTurn({ question: 'An old question', reply: 'Old.', startedAt: now - 40 * DAY }))
      const mixed = s.createConversation(now - 31 * DAY)
      const mixedOld = s.addTurn(mixed, newTurn({ question: 'Mixed old', reply: 'Old part.', startedAt: now - 31 * DAY }))
      const mixedNew = s.addTurn(mixed, newTurn({ question: 'Mixed new', reply: 'New part.', startedAt: now - 29 * DAY }))
      const fresh = s.createConversation(now - DAY)
      s.addTurn(fresh, newTurn({ question: 'A fresh question', reply: 'Fresh.', startedAt: now - DAY }))
      for (const t of [oldTurn, mixedOld, mixedNew]) {
        audio.write(AudioFolder.fileName(t, 'answer'), new Uint8Array([1]))
        s.setAudio(t, 'answer', AudioFolder.fileName(t, 'answer'))
      }
      return { old, oldTurn, mixed, mixedOld, mixedNew, fresh }
    })
    expect(db.use((s) => s.deleteBefore(now - 30 * DAY))).toBe(2)
    expect(db.use((s) => s.list().conversations.map((c) => c.id))).toEqual([ids.fresh, ids.mixed])
    expect(db.use((s) => s.get(ids.mixed).turns.map((t) => t.question))).toEqual(['Mixed new'])
    expect(db.use((s) => s.search('old')).map((h) => h.turnId)).toEqual([])
    expect(existsSync(join(audio.dir, AudioFolder.fileName(ids.oldTurn, 'answer')))).toBe(false)
    expect(existsSync(join(audio.dir, AudioFolder.fileName(ids.mixedOld, 'answer')))).toBe(false)
    expect(existsSync(join(audio.dir, AudioFolder.fileName(ids.mixedNew, 'answer')))).toBe(true)
    // Nothing more is due.
    expect(db.use((s) => s.deleteBefore(now - 30 * DAY))).toBe(0)
  })
})
