/**
 * The conversation database's schema, as numbered steps. SQLite's `user_version` says which step a
 * file has reached; opening a file runs the steps it lacks, each in its own transaction, so a file
 * from any earlier version comes up to date and an interrupted upgrade leaves a consistent file.
 *
 * Version 1: conversations and their turns.
 * Version 2: the full-text index over questions and answers (filled from the turns already kept),
 *            and the kept audio of each turn.
 * Version 3: the tool calls of each turn (none for turns kept before).
 */
import type Database from 'libsql'
import { indexText } from './search-text'

export type SqlDatabase = Database.Database

export interface Migration {
  version: number
  up(db: SqlDatabase): void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          id INTEGER PRIMARY KEY,
          title TEXT,
          started_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX conversations_by_update ON conversations (updated_at, id);
        CREATE TABLE turns (
          id INTEGER PRIMARY KEY,
          conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
          turn_key TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          input TEXT NOT NULL,
          question TEXT,
          file_name TEXT,
          reply TEXT NOT NULL,
          spoken TEXT NOT NULL,
          status TEXT NOT NULL,
          voice TEXT,
          model TEXT,
          timings TEXT NOT NULL DEFAULT '{}',
          usage TEXT,
          sources TEXT NOT NULL DEFAULT '[]',
          search_error TEXT,
          error TEXT
        );
        CREATE INDEX turns_by_conversation ON turns (conversation_id, id);
        CREATE INDEX turns_by_start ON turns (started_at);
      `)
    }
  },
  {
    version: 2,
    up(db) {
      db.exec(`
        CREATE VIRTUAL TABLE turns_search USING fts5 (
          question, answer,
          content = '', contentless_delete = 1,
          tokenize = 'unicode61 remove_diacritics 2'
        );
        ALTER TABLE turns ADD COLUMN question_audio TEXT;
        ALTER TABLE turns ADD COLUMN answer_audio TEXT;
      `)
      const insert = db.prepare('INSERT INTO turns_search (rowid, question, answer) VALUES (?, ?, ?)')
      for (const row of db.prepare('SELECT id, question, reply FROM turns').all() as Array<{ id: number; question: string | null; reply: string }>) {
        insert.run(row.id, indexText(row.question ?? ''), indexText(row.reply))
      }
    }
  },
  {
    version: 3,
    up(db) {
      db.exec(`ALTER TABLE turns ADD COLUMN tool_calls TEXT NOT NULL DEFAULT '[]'`)
    }
  }
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

export function schemaVersion(db: SqlDatabase): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)
}

/** Runs the steps after `from` up to `to` (default: all), each in a transaction with its version stamp. */
export function migrate(db: SqlDatabase, to = SCHEMA_VERSION): number {
  const from = schemaVersion(db)
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > to) continue
    db.transaction(() => {
      m.up(db)
      db.exec(`PRAGMA user_version = ${m.version}`)
    }).immediate()
  }
  return from
}
