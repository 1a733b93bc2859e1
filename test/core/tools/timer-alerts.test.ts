// When a timer's spoken alert may start: at once when the assistant is quiet, after the answer when it
// is busy, and after the longest wait when it never becomes quiet.
import { describe, expect, it } from 'vitest'
import type { AssistantState } from '../../../src/shared/assistant'
import { untilQuiet, type PhaseSource } from '../../../src/core/tools/timer-alerts'

class Phases implements PhaseSource {
  private listeners = new Set<(s: AssistantState) => void>()
  constructor(private current: AssistantState) {}
  state(): AssistantState {
    return this.current
  }
  on(_e: 'state', l: (s: AssistantState) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
  set(s: AssistantState): void {
    this.current = s
    for (const l of this.listeners) l(s)
  }
  get listening(): number {
    return this.listeners.size
  }
}

const settledWithin = async (p: Promise<void>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])

describe('untilQuiet', () => {
  it('resolves at once when the assistant is idle or its turn failed', async () => {
    expect(await settledWithin(untilQuiet(new Phases({ phase: 'idle' })), 20)).toBe(true)
    expect(await settledWithin(untilQuiet(new Phases({ phase: 'error', turnId: 't' })), 20)).toBe(true)
  })

  it('waits through recording, thinking and speaking, and stops listening once quiet', async () => {
    const phases = new Phases({ phase: 'recording', turnId: 't' })
    const quiet = untilQuiet(phases)
    for (const phase of ['thinking', 'speaking'] as const) {
      phases.set({ phase, turnId: 't' })
      expect(await settledWithin(quiet, 20)).toBe(false)
    }
    phases.set({ phase: 'idle' })
    expect(await settledWithin(quiet, 20)).toBe(true)
    expect(phases.listening).toBe(0)
  })

  it('gives up waiting after the longest wait', async () => {
    const phases = new Phases({ phase: 'speaking', turnId: 't' })
    const quiet = untilQuiet(phases, 50)
    expect(await settledWithin(quiet, 20)).toBe(false)
    expect(await settledWithin(quiet, 200)).toBe(true)
    expect(phases.listening).toBe(0)
  })
})
