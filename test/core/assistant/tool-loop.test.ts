// The tool loop of a turn, against the fake MiMo service over real HTTP: calls asked for in streamed
// pieces, run (in parallel, each with a time limit), answered by tool messages, the next answer
// streamed; only the last answer spoken.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { MimoClient } from '../../../src/core/mimo/client'
import { createAssistant, type Assistant, type AssistantDeps } from '../../../src/core/assistant/assistant'
import { createVoiceResolver } from '../../../src/core/assistant/voice-resolver'
import { ConfirmationBroker } from '../../../src/core/tools/confirmations'
import type { Tool } from '../../../src/core/tools/tool'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import type { ToolCallView } from '../../../src/shared/tools'
import { FakeRecorder } from './fake-recorder'
import { RecordingSink, recordingSinks } from './recording-sink'

let fake: FakeMimo
let client: MimoClient

beforeAll(async () => {
  fake = await startFakeMimo()
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
})

const open: Assistant[] = []
afterEach(() => {
  for (const a of open.splice(0)) a.dispose()
  fake.clearRequests()
  fake.setTranscript('What is the weather like in Beijing today?')
})

interface Ran {
  tool: string
  args: Record<string, unknown>
  startedAt: number
  endedAt?: number
  aborted?: boolean
}

/** A tool that records its runs; `work` decides what it answers (default: after `delayMs`). */
function tool(name: string, o: { delayMs?: number; answer?: (args: Record<string, unknown>) => string; hang?: boolean; confirm?: Tool['confirm'] } = {}, log: Ran[] = []): Tool {
  return {
    name,
    description: `The ${name} tool.`,
    parameters: { type: 'object', properties: {} },
    ...(o.confirm ? { confirm: o.confirm } : {}),
    run(args, ctx) {
      const ran: Ran = { tool: name, args, startedAt: performance.now() }
      log.push(ran)
      return new Promise((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          ran.aborted = true
          ran.endedAt = performance.now()
          reject(ctx.signal.reason)
        })
        if (o.hang) return
        setTimeout(() => {
          ran.endedAt = performance.now()
          resolve(o.answer ? o.answer(args) : `${name} done`)
        }, o.delayMs ?? 0)
      })
    }
  }
}

function rig(tools: Tool[], o: { settings?: Partial<Settings>; deps?: Partial<AssistantDeps> } = {}) {
  const sinks: RecordingSink[] = []
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, ...o.settings }
  const assistant = createAssistant({
    client,
    recorder: new FakeRecorder(),
    createSink: recordingSinks(sinks),
    settings: () => settings,
    voices: createVoiceResolver(),
    realtimeSink: false,
    tools: { tools: async () => tools },
    ...o.deps
  })
  open.push(assistant)
  return { assistant, sinks }
}

type Body = { messages: Array<Record<string, unknown>>; tools?: Array<Record<string, unknown>>; model: string; stream?: boolean }
const body = (r: LoggedRequest): Body => r.body as Body
const chats = (): LoggedRequest[] => fake.requests.filter((r) => !String(body(r).model).includes('tts') && body(r).stream === true)
const tts = (): LoggedRequest[] => fake.requests.filter((r) => String(body(r).model).includes('tts'))
const spokenText = (r: LoggedRequest): string => String(body(r).messages.find((m) => m.role === 'assistant')?.content)
const functionNames = (r: LoggedRequest): string[] =>
  (body(r).tools ?? []).filter((t) => t.type === 'function').map((t) => (t.function as { name: string }).name)
const calls = (turn: { toolCalls?: ToolCallView[] }): ToolCallView[] => turn.toolCalls ?? []

describe('the tool loop', () => {
  it('one call: its arguments, the tool message with its id, the answer that uses it; spoken only after the last round', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('get_weather', { answer: (a) => `Sunny in ${String(a.city)}, 24 degrees` }, log)])
    const turn = await assistant.settled(assistant.ask('How is it outside? [[get_weather {"city":"Beijing"}]]').turnId)

    expect(turn.status).toBe('done')
    expect(log.map((r) => r.args)).toEqual([{ city: 'Beijing' }])
    const [first, second] = chats()
    expect(chats()).toHaveLength(2)
    expect(functionNames(first)).toEqual(['get_weather'])
    expect(body(first).tools!.find((t) => t.type === 'function')).toMatchObject({ function: { name: 'get_weather', description: 'The get_weather tool.' } })
    // The follow-up repeats the call and answers it by its id.
    const asked = body(second).messages.at(-2) as { role: string; tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> }
    const answered = body(second).messages.at(-1) as { role: string; tool_call_id: string; content: string }
    expect(asked.role).toBe('assistant')
    expect(asked.tool_calls[0].function).toEqual({ name: 'get_weather', arguments: '{"city":"Beijing"}' })
    expect(answered).toEqual({ role: 'tool', tool_call_id: asked.tool_calls[0].id, content: 'Sunny in Beijing, 24 degrees' })
    expect(turn.reply).toContain('Sunny in Beijing, 24 degrees')

    // Shown in the turn: the call, its arguments, result and time.
    expect(calls(turn)).toEqual([
      { id: asked.tool_calls[0].id, round: 1, tool: 'get_weather', arguments: '{"city":"Beijing"}', status: 'done', result: 'Sunny in Beijing, 24 degrees', durationMs: expect.any(Number) }
    ])
    // Spoken: the final answer only, every TTS request after the last chat request went out.
    // (Requested side by side, they may arrive in any order; turn.spoken is the order heard.)
    expect(tts().map(spokenText).sort((a, b) => turn.reply.indexOf(a) - turn.reply.indexOf(b)).join(' ')).toBe(turn.reply)
    expect(turn.spoken).toBe(turn.reply)
    expect(Math.min(...tts().map((r) => r.at))).toBeGreaterThanOrEqual(second.at)
    for (const r of tts()) expect(body(r).tools).toBeUndefined()
  })

  it('two calls at once run in parallel and are answered in order', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('get_weather', { delayMs: 300, answer: () => 'Sunny' }, log), tool('get_time', { delayMs: 300, answer: () => 'Noon' }, log)])
    const turn = await assistant.settled(assistant.ask('[[get_weather {"city":"Paris"} || get_time {}]]').turnId)
    expect(turn.status).toBe('done')
    expect(log.map((r) => r.tool).sort()).toEqual(['get_time', 'get_weather'])
    // Both were running at the same time.
    const [a, b] = log
    expect(b.startedAt).toBeLessThan(a.endedAt!)
    const followUp = body(chats()[1]).messages
    const ids = (followUp.at(-3) as { tool_calls: Array<{ id: string }> }).tool_calls.map((c) => c.id)
    expect(followUp.slice(-2).map((m) => [m.tool_call_id, m.content])).toEqual([
      [ids[0], 'Sunny'],
      [ids[1], 'Noon']
    ])
    expect(calls(turn).map((c) => [c.tool, c.status, c.round])).toEqual([
      ['get_weather', 'done', 1],
      ['get_time', 'done', 1]
    ])
  })

  it('a chain of two rounds: the second call is asked once the first has answered', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('find_city', { answer: () => 'Beijing' }, log), tool('get_weather', { answer: () => 'Windy' }, log)])
    const turn = await assistant.settled(assistant.ask('[[find_city {"q":"capital"}]] [[get_weather {"city":"Beijing"}]]').turnId)
    expect(turn.status).toBe('done')
    expect(log.map((r) => r.tool)).toEqual(['find_city', 'get_weather'])
    expect(chats()).toHaveLength(3)
    // The third request holds both rounds, in order.
    expect(body(chats()[2]).messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual(['Beijing', 'Windy'])
    expect(calls(turn).map((c) => c.round)).toEqual([1, 2])
    expect(turn.reply).toContain('Windy')
    expect(Math.min(...tts().map((r) => r.at))).toBeGreaterThanOrEqual(chats()[2].at)
  })

  it('arguments that are not JSON: the tool does not run, the model is told, the turn goes on', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('get_weather', {}, log)])
    const turn = await assistant.settled(assistant.ask('[[get_weather {"city": Beij]]').turnId)
    expect(turn.status).toBe('done')
    expect(log).toEqual([])
    const answer = body(chats()[1]).messages.at(-1) as { content: string }
    expect(answer.content).toMatch(/^Error: The arguments are not valid JSON/)
    expect(calls(turn)[0]).toMatchObject({ status: 'error', arguments: '{"city": Beij', error: expect.stringMatching(/not valid JSON/) })
  })

  it('a tool that takes too long is stopped at its time limit and answers with an error', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('slow_lookup', { hang: true }, log)], { settings: { toolTimeoutSec: 1 } })
    const turn = await assistant.settled(assistant.ask('[[slow_lookup {}]]').turnId)
    expect(turn.status).toBe('done')
    expect(log[0].aborted).toBe(true)
    expect(calls(turn)[0]).toMatchObject({ status: 'error', error: 'The tool did not answer within 1 s.' })
    expect(calls(turn)[0].durationMs).toBeGreaterThanOrEqual(950)
    expect((body(chats()[1]).messages.at(-1) as { content: string }).content).toBe('Error: The tool did not answer within 1 s.')
  })

  it('a tool still running after a second gets one short spoken cue, which is not part of the answer', async () => {
    const { assistant } = rig([tool('slow_lookup', { delayMs: 1400, answer: () => 'Found it' })])
    const turn = await assistant.settled(assistant.ask('[[slow_lookup {}]]').turnId)
    expect(turn.status).toBe('done')
    const spoken = tts().map(spokenText)
    expect(spoken[0]).toBe('One moment.')
    expect(spoken.filter((s) => s === 'One moment.')).toHaveLength(1)
    expect(spoken.slice(1).join(' ')).toBe(turn.reply)
    expect(turn.spoken).toBe(turn.reply)
    // The cue went out while the tool ran, before the follow-up request.
    expect(tts()[0].at).toBeLessThan(chats()[1].at)
  })

  it('barge-in during a tool: the tool is aborted, nothing more is asked, nothing is spoken', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('slow_lookup', { hang: true }, log)])
    const { turnId } = assistant.ask('[[slow_lookup {}]]')
    await until(() => log.length === 1, { what: 'the tool to start' })
    assistant.press()
    const turn = await assistant.settled(turnId)
    expect(turn.status).toBe('stopped')
    expect(log[0].aborted).toBe(true)
    expect(calls(turn)[0].status).toBe('stopped')
    await new Promise((r) => setTimeout(r, 100))
    expect(chats()).toHaveLength(1)
    expect(tts()).toHaveLength(0)
  })

  it('at most five rounds: then the model is asked without function tools and answers', async () => {
    const log: Ran[] = []
    const { assistant } = rig([tool('step', { answer: () => 'ok' }, log)])
    const script = Array.from({ length: 7 }, (_, i) => `[[step {"n":${i}}]]`).join(' ')
    const turn = await assistant.settled(assistant.ask(script).turnId)
    expect(turn.status).toBe('done')
    expect(log).toHaveLength(5)
    expect(chats()).toHaveLength(6)
    expect(chats().slice(0, 5).every((r) => functionNames(r).includes('step'))).toBe(true)
    expect(functionNames(chats()[5])).toEqual([])
  })

  it('web search stays beside the function tools', async () => {
    const { assistant } = rig([tool('get_weather', { answer: () => 'Rain' })], { settings: { webSearch: true } })
    const turn = await assistant.settled(assistant.ask('[[get_weather {}]]').turnId)
    expect(turn.status).toBe('done')
    expect(body(chats()[0]).tools!.map((t) => t.type)).toEqual(['web_search', 'function'])
    expect(body(chats()[0]))
      .toMatchObject({ tool_choice: 'auto' })
    expect(turn.sources.length).toBeGreaterThan(0)
  })

  it('an unknown tool name is answered with an error the model can read', async () => {
    const { assistant } = rig([tool('get_weather')])
    // The script names a tool that is not offered: the fake asks for it anyway.
    const turn = await assistant.settled(assistant.ask('[[launch_rocket {}]]').turnId)
    expect(turn.status).toBe('done')
    expect(calls(turn)[0]).toMatchObject({ tool: 'launch_rocket', status: 'error', error: 'There is no tool called "launch_rocket".' })
  })
})

describe('tools that need a yes', () => {
  it('a click allows the call; a refusal tells the model; no answer in time is a no', async () => {
    const broker = new ConfirmationBroker({ timeoutMs: 300 })
    const log: Ran[] = []
    const { assistant } = rig([tool('delete_file', { confirm: 'destructive', answer: () => 'deleted' }, log)], { deps: { confirmations: broker } })

    const allowed = assistant.ask('[[delete_file {"path":"a.txt"}]]')
    await until(() => broker.list().length === 1, { what: 'the question' })
    expect(broker.list()[0]).toMatchObject({ tool: 'delete_file', reason: 'destructive', arguments: '{"path":"a.txt"}', turnId: allowed.turnId })
    expect(calls(assistant.snapshot().turns.at(-1)!)[0].status).toBe('confirm')
    expect(broker.answer(broker.list()[0].callId, true)).toBe(true)
    const t1 = await assistant.settled(allowed.turnId)
    expect(log).toHaveLength(1)
    expect(calls(t1)[0].status).toBe('done')

    const refused = assistant.ask('[[delete_file {"path":"b.txt"}]]')
    await until(() => broker.list().length === 1)
    broker.answer(broker.list()[0].callId, false)
    const t2 = await assistant.settled(refused.turnId)
    expect(log).toHaveLength(1)
    expect(calls(t2)[0]).toMatchObject({ status: 'refused' })
    expect((body(chats().at(-1)!).messages.at(-1) as { content: string }).content).toMatch(/did not allow/)

    const unanswered = assistant.ask('[[delete_file {"path":"c.txt"}]]')
    const t3 = await assistant.settled(unanswered.turnId)
    expect(calls(t3)[0].status).toBe('refused')
    expect(broker.list()).toEqual([])
    expect(log).toHaveLength(1)
  })

  it('a spoken "yes" on the next press allows it; the press is not a new question', async () => {
    const broker = new ConfirmationBroker()
    const recorder = new FakeRecorder()
    const log: Ran[] = []
    const { assistant } = rig([tool('delete_file', { confirm: 'ask-first', answer: () => 'deleted' }, log)], { deps: { confirmations: broker, recorder } })
    const { turnId } = assistant.ask('[[delete_file {"path":"a.txt"}]]')
    await until(() => broker.list().length === 1)
    fake.setTranscript('Yes, go ahead.')
    expect(assistant.press()).toEqual({ phase: 'recording', turnId })
    assistant.release()
    const turn = await assistant.settled(turnId)
    expect(turn.status).toBe('done')
    expect(log).toHaveLength(1)
    expect(assistant.snapshot().turns).toHaveLength(1)
  })
})
