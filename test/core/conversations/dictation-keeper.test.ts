// Dictations kept in the real history database (libsql): listed, searched, incognito respected.
import { afterEach, describe, expect, it } from 'vitest'
import { DICTATION_TITLE, dictationKeeper } from '../../../src/core/conversations/dictation-keeper'
import { HistoryDatabase } from '../../../src/core/conversations/history-database'
import type { Dictation } from '../../../src/shared/modes'
import { tempDir } from './stored-turns'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function rig(o: { incognito?: boolean } = {}) {
  const folder = tempDir()
  const database = new HistoryDatabase({ dir: folder.dir })
  cleanups.push(() => {
    database.close()
    folder.remove()
  })
  let changes = 0
  const keep = dictationKeeper({ database, enabled: () => !o.incognito, model: () => 'mimo-v2.5', onChange: () => changes++ })
  return { database, keep, changes: () => changes }
}

const dictation = (text: string, id = 'dictation-1'): Dictation => ({
  id,
  text,
  insert: 'pasted',
  via: 'ctrl+v via xdotool',
  timings: { recorded: 8, transcribed: 420, inserted: 462 },
  durationMs: 2300,
  startedAt: '2026-12-01T09:30:00.000Z'
})

describe('dictations in the history', () => {
  it('each is a conversation titled "Dictation" whose one turn holds the words; it is found by search', () => {
    const r = rig()
    r.keep(dictation('Send the quarterly report to Li Wei by Friday.'))
    r.keep(dictation('明天上午十点开会。', 'dictation-2'))
    expect(r.changes()).toBe(2)
    const page = r.database.use((s) => s.list())
    expect(page.conversations.map((c) => [c.title, c.turnCount])).toEqual([
      [DICTATION_TITLE, 1],
      [DICTATION_TITLE, 1]
    ])
    const detail = r.database.use((s) => s.get(page.conversations[1].id))
    expect(detail.turns[0]).toMatchObject({ question: 'Send the quarterly report to Li Wei by Friday.', reply: '', input: 'voice', model: 'mimo-v2.5', status: 'done' })
    expect(detail.turns[0].timings).toEqual({ release: 0, requestSent: 8, done: 462 })
    expect(r.database.use((s) => s.search('quarterly')).length).toBe(1)
    expect(r.database.use((s) => s.search('开会')).length).toBe(1)
  })

  it('incognito keeps nothing; nor does a dictation with no words', () => {
    const r = rig({ incognito: true })
    r.keep(dictation('Secret words.'))
    const s = rig()
    s.keep(dictation('   '))
    expect(r.database.use((st) => st.list()).conversations).toEqual([])
    expect(s.database.use((st) => st.list()).conversations).toEqual([])
    expect(r.changes() + s.changes()).toBe(0)
  })
})
