import { describe, expect, it } from 'vitest'
import { ConfirmationBroker } from '../../../src/core/tools/confirmations'
import type { ConfirmRequest } from '../../../src/core/tools/tool-runner'
import { spokenAnswer } from '../../../src/core/assistant/spoken-answer'
import { ManualClock } from './manual-clock'

function request(id: string, signal = new AbortController().signal): ConfirmRequest {
  return {
    call: { id, round: 1, tool: 'write_file', server: 'files', arguments: '{"path":"a"}', status: 'confirm' },
    tool: { name: 'write_file', server: 'files', description: '', parameters: {}, run: async () => '' },
    reason: 'destructive',
    signal
  }
}

describe('calls waiting for a yes', () => {
  it('a no after 30 s without an answer; listed meanwhile with the time it expires', async () => {
    const clock = new ManualClock()
    const broker = new ConfirmationBroker({ clock, scheduler: clock })
    const lists: number[] = []
    broker.on('change', (l) => lists.push(l.length))
    const answer = broker.ask('turn-1', request('call_1'))
    expect(broker.list()).toEqual([
      { callId: 'call_1', turnId: 'turn-1', tool: 'write_file', server: 'files', arguments: '{"path":"a"}', reason: 'destructive', expiresAt: new Date(clock.now() + 30_000).toISOString() }
    ])
    clock.advance(29_999)
    expect(broker.waitingFor('turn-1')).toBe(true)
    clock.advance(1)
    await expect(answer).resolves.toBe(false)
    expect(lists).toEqual([1, 0])
    expect(broker.answer('call_1', true)).toBe(false)
  })

  it('answered by id or for the turn (a spoken answer); a turn that ends withdraws its questions', async () => {
    const clock = new ManualClock()
    const broker = new ConfirmationBroker({ clock, scheduler: clock })
    const first = broker.ask('turn-1', request('call_1'))
    const second = broker.ask('turn-1', request('call_2'))
    expect(broker.answerForTurn('turn-1', true)).toBe(true)
    await expect(first).resolves.toBe(true)
    expect(broker.answer('call_2', false)).toBe(true)
    await expect(second).resolves.toBe(false)

    const turn = new AbortController()
    const third = broker.ask('turn-2', request('call_3', turn.signal))
    turn.abort()
    await expect(third).resolves.toBe(false)
    expect(broker.list()).toEqual([])
    expect(clock.pending).toBe(0)
  })
})

describe('a spoken yes or no', () => {
  it('reads the transcript', () => {
    for (const yes of ['Yes.', 'Yes, go ahead.', 'yeah', 'OK', 'Sure thing', 'Do it!', '是的', '好的。', '可以']) expect(spokenAnswer(yes), yes).toBe(true)
    for (const no of ['No.', 'No thanks', "Don't", 'Cancel it', '不要', '不行', '取消']) expect(spokenAnswer(no), no).toBe(false)
    for (const unclear of ['', 'What is the weather?', 'Maybe later', '天气怎么样']) expect(spokenAnswer(unclear), unclear).toBeNull()
  })
})
