// When a timer's spoken alert may start: at once when all is quiet; after the answer, or after the
// user's words in a conversation, when not; and after the longest wait when it never becomes quiet.
import { describe, expect, it } from 'vitest'
import type { AssistantState } from '../../../src/shared/assistant'
import type { ConversationState } from '../../../src/shared/modes'
import { assistantActivity, conversationActivity, untilQuiet } from '../../../src/core/tools/timer-alerts'

/** A state and its change event, like the assistant's and the conversation's. */
class States<S> {
  private listeners = new Set<(s: S) => void>()
  constructor(private current: S) {}
  state(): S {
    return this.current
  }
  on(_e: 'state', l: (s: S) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
  set(s: S): void {
    this.current = s
    for (const l of this.listeners) l(s)
  }
  get listening(): number {
    return this.listeners.size
  }
}

const assistantIn = (phase: AssistantState['phase']) => new States<AssistantState>({ phase, turnId: 't' })
const conversationIn = (phase: ConversationState['phase']) => new States<ConversationState>({ phase, interruptByVoice: false, turns: 0 })

const settledWithin = async (p: Promise<void>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])

describe('untilQuiet', () => {
  it('resolves at once when the assistant is idle or its turn failed and nobody is speaking', async () => {
    expect(await settledWithin(untilQuiet([assistantActivity(assistantIn('idle')), conversationActivity(conversationIn('off'))]), 20)).toBe(true)
    expect(await settledWithin(untilQuiet([assistantActivity(assistantIn('error')), conversationActivity(conversationIn('listening'))]), 20)).toBe(true)
  })

  it('waits through recording, thinking and speaking, and stops listening once quiet', async () => {
    const assistant = assistantIn('recording')
    const quiet = untilQuiet([assistantActivity(assistant)])
    for (const phase of ['thinking', 'speaking'] as const) {
      assistant.set({ phase, turnId: 't' })
      expect(await settledWithin(quiet, 20)).toBe(false)
    }
    assistant.set({ phase: 'idle' })
    expect(await settledWithin(quiet, 20)).toBe(true)
    expect(assistant.listening).toBe(0)
  })

  it("in a conversation, waits for the user's words and then for their answer", async () => {
    const assistant = assistantIn('idle')
    const conversation = conversationIn('hearing')
    const quiet = untilQuiet([assistantActivity(assistant), conversationActivity(conversation)])
    expect(await settledWithin(quiet, 20)).toBe(false)
    // The pause ends the turn: the assistant thinks before the conversation says it is answering.
    assistant.set({ phase: 'thinking', turnId: 't' })
    conversation.set({ phase: 'answering', interruptByVoice: false, turns: 1 })
    expect(await settledWithin(quiet, 20)).toBe(false)
    assistant.set({ phase: 'speaking', turnId: 't' })
    expect(await settledWithin(quiet, 20)).toBe(false)
    assistant.set({ phase: 'idle' })
    expect(await settledWithin(quiet, 20)).toBe(true)
    expect(assistant.listening + conversation.listening).toBe(0)
  })

  it('gives up waiting after the longest wait', async () => {
    const assistant = assistantIn('speaking')
    const quiet = untilQuiet([assistantActivity(assistant)], 50)
    expect(await settledWithin(quiet, 20)).toBe(false)
    expect(await settledWithin(quiet, 200)).toBe(true)
    expect(assistant.listening).toBe(0)
  })
})
