// The fake asks for tool calls as the service streams them, and refuses follow-ups that leave a call unanswered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from './server'
import { planToolCalls, scriptedRounds } from './tool-script'

let fake: FakeMimo
beforeAll(async () => {
  fake = await startFakeMimo()
})
afterAll(() => fake.close())

const fn = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object' } } })

async function post(body: Record<string, unknown>): Promise<{ status: number; chunks: Array<Record<string, unknown>>; json?: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': 'test-key' },
    body: JSON.stringify({ model: 'mimo-v2.5', thinking: { type: 'disabled' }, stream: true, ...body })
  })
  const text = await res.text()
  if (res.status !== 200) return { status: res.status, chunks: [], json: JSON.parse(text) }
  const chunks = text
    .split('\n\n')
    .map((e) => e.replace(/^data: /, '').trim())
    .filter((d) => d && d !== '[DONE]')
    .map((d) => JSON.parse(d) as Record<string, unknown>)
  return { status: 200, chunks }
}

type Delta = { tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>; content?: string | null }
const deltas = (chunks: Array<Record<string, unknown>>): Delta[] => chunks.map((c) => (c.choices as Array<{ delta: Delta }>)[0]?.delta ?? {})

describe('the fake: tool calls', () => {
  it('streams two parallel calls in pieces: id and name first, then the arguments, then finish_reason tool_calls', async () => {
    const r = await post({ tools: [fn('get_weather'), fn('get_time')], messages: [{ role: 'user', content: '[[get_weather {"city":"Beijing"} || get_time {}]]' }] })
    expect(r.status).toBe(200)
    const pieces = deltas(r.chunks).flatMap((d) => d.tool_calls ?? [])
    const first = pieces.filter((p) => p.id)
    expect(first.map((p) => [p.index, p.function?.name, p.function?.arguments])).toEqual([
      [0, 'get_weather', ''],
      [1, 'get_time', '']
    ])
    const argsOf = (i: number): string[] => pieces.filter((p) => p.index === i && !p.id).map((p) => p.function!.arguments!)
    expect(argsOf(0).length).toBeGreaterThanOrEqual(2)
    expect(argsOf(0).join('')).toBe('{"city":"Beijing"}')
    expect(argsOf(1).join('')).toBe('{}')
    const last = r.chunks.at(-1)!.choices as Array<{ finish_reason: string }>
    expect(last[0].finish_reason).toBe('tool_calls')
    expect(deltas(r.chunks).some((d) => typeof d.content === 'string' && d.content)).toBe(false)
  })

  it('sends arguments that are not JSON as they are', () => {
    const [call] = planToolCalls('[[get_weather {"city": Beij]]', [{ role: 'user', content: 'x' }], ['get_weather'])
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city": Beij' })
  })

  it('chains rounds: the second block is asked once the first is answered, then it answers with what the tools said', async () => {
    const q = '[[find_city {"q":"capital"}]] [[get_weather {"city":"Beijing"}]]'
    const tools = [fn('find_city'), fn('get_weather')]
    const one = await post({ tools, messages: [{ role: 'user', content: q }] })
    const id1 = deltas(one.chunks).flatMap((d) => d.tool_calls ?? []).find((p) => p.id)!.id!
    const round1 = [
      { role: 'user', content: q },
      { role: 'assistant', content: null, tool_calls: [{ id: id1, type: 'function', function: { name: 'find_city', arguments: '{"q":"capital"}' } }] },
      { role: 'tool', tool_call_id: id1, content: 'Beijing' }
    ]
    const two = await post({ tools, messages: round1 })
    const call2 = deltas(two.chunks).flatMap((d) => d.tool_calls ?? []).find((p) => p.id)!
    expect(call2.function?.name).toBe('get_weather')
    const three = await post({
      tools,
      messages: [
        ...round1,
        { role: 'assistant', content: null, tool_calls: [{ id: call2.id, type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: call2.id, content: 'Windy' }
      ]
    })
    expect(deltas(three.chunks).map((d) => d.content ?? '').join('')).toBe('The find_city tool says: Beijing. The get_weather tool says: Windy. That is all I found.')
  })

  it('refuses a follow-up whose tool messages do not answer every call', async () => {
    const calls = [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }
    ]
    const r = await post({
      tools: [fn('get_weather'), fn('get_time')],
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: null, tool_calls: calls }, { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' }]
    })
    expect(r.status).toBe(400)
    expect((r.json!.error as { param: string }).param).toMatch(/did not have response messages: call_2/)
    const stray = await post({ messages: [{ role: 'user', content: 'Hi' }, { role: 'tool', tool_call_id: 'call_9', content: 'x' }] })
    expect(stray.status).toBe(400)
    expect((stray.json!.error as { param: string }).param).toMatch(/must be a response to a preceding message with 'tool_calls'/)
  })

  it('plain questions call the built-in tools when they are offered', () => {
    const user = [{ role: 'user', content: 'x' }]
    const all = ['set_timer', 'list_timers', 'cancel_timer', 'get_current_time', 'open_url', 'copy_to_clipboard']
    const plan = (q: string) => planToolCalls(q, user, all).map((c) => [c.name, JSON.parse(c.arguments)])
    expect(plan('Set a timer for ten minutes.')).toEqual([['set_timer', { seconds: 600, label: 'Timer' }]])
    expect(plan('Remind me in 2 hours to call the dentist.')).toEqual([['set_timer', { seconds: 7200, label: 'call the dentist', kind: 'reminder' }]])
    expect(plan('What time is it?')).toEqual([['get_current_time', {}]])
    expect(plan('Open https://platform.xiaomimimo.com/#/console')).toEqual([['open_url', { url: 'https://platform.xiaomimimo.com/#/console' }]])
    expect(plan('Copy "hello world" to the clipboard')).toEqual([['copy_to_clipboard', { text: 'hello world' }]])
    expect(planToolCalls('Set a timer for ten minutes.', user, ['get_current_time'])).toEqual([])
    expect(scriptedRounds('no script here')).toBeNull()
  })
})
