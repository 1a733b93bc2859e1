/** Turns to keep in tests, and a history folder of their own. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NewTurn } from '../../../src/core/conversations/conversation-store'

export function newTurn(o: Partial<NewTurn> & { question: string | null; reply: string }): NewTurn {
  return {
    turnKey: `turn-${Math.random().toString(36).slice(2)}`,
    startedAt: Date.now(),
    input: 'text',
    fileName: null,
    spoken: o.reply,
    status: 'done',
    voice: 'mimo_default',
    model: 'mimo-v2.5',
    timings: { requestSent: 3, firstToken: 120, done: 900 },
    usage: { promptTokens: 20, completionTokens: 30, totalTokens: 50 },
    sources: [],
    searchError: null,
    toolCalls: [],
    error: null,
    ...o
  }
}

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix = 'mimo-history-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
