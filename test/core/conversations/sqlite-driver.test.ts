/**
 * What the history needs of the SQLite driver (libsql), checked on the Node running the tests: WAL,
 * FTS5 with contentless-delete tables, and the trigram tokenizer (and why it is not enough for
 * Chinese: a word of two characters, the common case, is not found by it).
 */
import { join } from 'node:path'
import Database from 'libsql'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from './stored-turns'

const temp = tempDir('mimo-sqlite-')

describe('the SQLite driver', () => {
  const db = new Database(join(temp.dir, 'probe.db'))
  afterAll(() => {
    db.close()
    temp.remove()
  })

  it('runs SQLite 3.43 or newer (contentless-delete FTS5 tables) in WAL mode', () => {
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
    const [major, minor] = version.split('.').map(Number)
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(3043)
    db.exec('PRAGMA journal_mode = WAL')
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal')
    db.exec("CREATE VIRTUAL TABLE c USING fts5 (t, content = '', contentless_delete = 1)")
    db.prepare('INSERT INTO c (rowid, t) VALUES (?, ?)').run(7, 'kept words')
    db.prepare('DELETE FROM c WHERE rowid = ?').run(7)
    expect(db.prepare("SELECT rowid FROM c WHERE c MATCH 'kept'").all()).toEqual([])
  })

  it('has the trigram tokenizer, which finds three characters and more inside Chinese, but not two', () => {
    db.exec("CREATE VIRTUAL TABLE g USING fts5 (t, tokenize = 'trigram')")
    db.prepare('INSERT INTO g (t) VALUES (?)').run('今天北京的天气怎么样')
    const found = (q: string): number => db.prepare('SELECT rowid FROM g WHERE g MATCH ?').all(`"${q}"`).length
    expect(found('的天气')).toBe(1)
    expect(found('天气')).toBe(0)
  })
})
