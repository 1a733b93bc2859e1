import { describe, expect, it } from 'vitest'
import { TurnRegistry } from '../../../src/core/assistant/turn-registry'
import type { AssistantState, ReplyDelta, TurnView } from '../../../src/shared/assistant'

function rig() {
  const turns = new TurnRegistry(() => 0)
  const states: AssistantState[] = []
  const views: TurnView[] = []
  const deltas: ReplyDelta[] = []
  turns.on('state', (s) => states.push(s))
  turns.on('turn', (v) => views.push(v))
  turns.on('reply', (d) => deltas.push(d))
  return { turns, states, views, deltas }
}

describe('the turn registry', () => {
  it('the phase is read off the current turn, and a state event comes only when it changes', () => {
    const { turns, states } = rig()
    const t = turns.create('voice', 'recording')
    turns.set(t, { status: 'thinking' })
    turns.update(t, { question: 'Hi?' })
    turns.set(t, { status: 'speaking' })
    turns.set(t, { status: 'done' })
    const id = t.view.id
    expect(states).toEqual([
      { phase: 'recording', turnId: id },
      { phase: 'thinking', turnId: id },
      { phase: 'speaking', turnId: id },
      { phase: 'idle' }
    ])
    const failed = turns.create('text', 'thinking')
    turns.set(failed, { status: 'error', error: { kind: 'api', message: 'Busy.' }, canRetry: true })
    expect(turns.state()).toEqual({ phase: 'error', turnId: failed.view.id })
    // An older turn changing does not move the phase.
    turns.update(t, { transcribing: false })
    expect(turns.state().turnId).toBe(failed.view.id)
  })

  it('leaving the error status drops the error and canRetry with it', () => {
    const { turns } = rig()
    const t = turns.create('text', 'thinking')
    turns.set(t, { status: 'error', error: { kind: 'api', message: 'Busy.' }, canRetry: true })
    turns.set(t, { status: 'stopped' })
    expect(t.view).not.toHaveProperty('error')
    expect(t.view).not.toHaveProperty('canRetry')
  })

  it('answer text: the first piece with the whole turn, then deltas only; the snapshot holds it all', () => {
    const { turns, views, deltas } = rig()
    const t = turns.create('text', 'thinking')
    const before = views.length
    turns.appendReply(t, 'Hello')
    turns.appendReply(t, ', world')
    turns.appendReply(t, '.')
    expect(views.slice(before).map((v) => v.reply)).toEqual(['Hello'])
    expect(deltas).toEqual([
      { turnId: t.view.id, text: ', world' },
      { turnId: t.view.id, text: '.' }
    ])
    expect(turns.snapshot().turns[0].reply).toBe('Hello, world.')
  })

  it('settled() resolves when the turn ends; a listener that throws does not stop the others', async () => {
    const { turns } = rig()
    turns.on('turn', () => {
      throw new Error('a broken window')
    })
    const seen: string[] = []
    turns.on('turn', (v) => seen.push(v.status))
    const t = turns.create('text', 'thinking')
    const settled = turns.settled(t.view.id)!
    turns.set(t, { status: 'done' })
    expect((await settled).status).toBe('done')
    expect(seen).toEqual(['thinking', 'done'])
    expect(turns.settled('nope')).toBeUndefined()
  })
})
