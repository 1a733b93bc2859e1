import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TimerService, type FiredTimer } from '../../../src/core/tools/timers'
import { createBuiltinTools, checkWebAddress, dueTime } from '../../../src/core/tools/builtin-tools'
import { alertText } from '../../../src/core/tools/timer-alerts'
import { DEFAULT_BUILTIN_TOOLS } from '../../../src/shared/tools'
import { ManualClock } from './manual-clock'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mimo-timers-'))
  dirs.push(d)
  return d
}

describe('timers', () => {
  it('fire when due, in order, and are gone from the file once fired', () => {
    const clock = new ManualClock()
    const timers = new TimerService({ dataDir: tempDir(), clock, scheduler: clock })
    const fired: FiredTimer[] = []
    timers.on('fired', (f) => fired.push(f))
    timers.start()
    const tea = timers.add({ dueAtMs: clock.now() + 5 * 60_000, label: 'Tea', kind: 'timer' })
    const call = timers.add({ dueAtMs: clock.now() + 60_000, label: 'Call mum', kind: 'reminder' })
    expect(timers.list().map((t) => t.id)).toEqual([call.id, tea.id])
    clock.advance(59_000)
    expect(fired).toEqual([])
    clock.advance(1_000)
    expect(fired.map((f) => [f.timer.label, f.lateMs])).toEqual([['Call mum', 0]])
    clock.advance(4 * 60_000)
    expect(fired.map((f) => f.timer.label)).toEqual(['Call mum', 'Tea'])
    expect(timers.list()).toEqual([])
    expect(JSON.parse(readFileSync(timers.path, 'utf8'))).toEqual({ version: 1, timers: [] })
  })

  it('survive a restart: a timer due while the program was closed fires late at start', () => {
    const dir = tempDir()
    const clock = new ManualClock()
    const first = new TimerService({ dataDir: dir, clock, scheduler: clock })
    first.start()
    first.add({ dueAtMs: clock.now() + 10 * 60_000, label: 'Oven', kind: 'timer' })
    first.stop()
    clock.advance(15 * 60_000)
    const second = new TimerService({ dataDir: dir, clock, scheduler: clock })
    const fired: FiredTimer[] = []
    second.on('fired', (f) => fired.push(f))
    second.start()
    expect(fired.map((f) => [f.timer.label, f.lateMs])).toEqual([['Oven', 5 * 60_000]])
    expect(alertText(fired[0]).body).toBe('Oven (due 5 minutes ago)')
  })

  it('see timers another program added to the file (the command), and cancel by id', () => {
    const dir = tempDir()
    const clock = new ManualClock()
    const app = new TimerService({ dataDir: dir, clock, scheduler: clock })
    const fired: string[] = []
    app.on('fired', (f) => fired.push(f.timer.label))
    app.start()
    const command = new TimerService({ dataDir: dir, clock })
    const pasta = command.add({ dueAtMs: clock.now() + 40_000, label: 'Pasta', kind: 'timer' })
    expect(app.list().map((t) => t.id)).toEqual([pasta.id])
    clock.advance(45_000)
    expect(fired).toEqual(['Pasta'])
    const eggs = command.add({ dueAtMs: clock.now() + 60_000, label: 'Eggs', kind: 'timer' })
    expect(app.cancel(eggs.id.toUpperCase()).label).toBe('Eggs')
    expect(() => app.cancel(eggs.id)).toThrow(/no timer with the id/)
    clock.advance(120_000)
    expect(fired).toEqual(['Pasta'])
  })

  it('a damaged file is moved aside, never lost, and the timers start afresh', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'timers.json'), '{ not json')
    const timers = new TimerService({ dataDir: dir })
    expect(timers.list()).toEqual([])
    expect(readdirSync(dir).some((f) => f.startsWith('timers.json.damaged-'))).toBe(true)
  })

  it('refuse a time that has passed, more than 31 days ahead, or more than 50 at once', () => {
    const clock = new ManualClock()
    const timers = new TimerService({ dataDir: tempDir(), clock })
    expect(() => timers.add({ dueAtMs: clock.now() - 1, label: '', kind: 'timer' })).toThrow('That time has already passed.')
    expect(() => timers.add({ dueAtMs: clock.now() + 32 * 24 * 3600_000, label: '', kind: 'timer' })).toThrow(/31 days/)
    for (let i = 0; i < 50; i++) timers.add({ dueAtMs: clock.now() + 1000 + i, label: `t${i}`, kind: 'timer' })
    expect(() => timers.add({ dueAtMs: clock.now() + 5000, label: 'one more', kind: 'timer' })).toThrow(/already 50 timers/)
  })
})

describe('built-in tools', () => {
  const tz = 'Asia/Shanghai'
  const now = Date.UTC(2026, 11, 1, 6, 30) // 14:30 in Shanghai

  it('set_timer takes seconds, a time of day in the user\'s zone, or a local date and time', () => {
    expect(dueTime({ seconds: 600 }, now, tz)).toBe(now + 600_000)
    expect(new Date(dueTime({ at: '15:00' }, now, tz)).toISOString()).toBe('2026-12-01T07:00:00.000Z')
    // Already past today: tomorrow.
    expect(new Date(dueTime({ at: '09:00' }, now, tz)).toISOString()).toBe('2026-12-02T01:00:00.000Z')
    expect(new Date(dueTime({ at: '2026-12-24T09:00' }, now, tz)).toISOString()).toBe('2026-12-24T01:00:00.000Z')
    expect(() => dueTime({ at: '25:00' }, now, tz)).toThrow(/not a time of day/)
    expect(() => dueTime({ seconds: -5 }, now, tz)).toThrow(/at least 1/)
    expect(() => dueTime({}, now, tz)).toThrow(/Give "seconds"/)
  })

  it('the clock gives the date and time in the chosen time zone', async () => {
    const clock = new ManualClock(now)
    const source = createBuiltinTools({
      settings: () => ({ tools: DEFAULT_BUILTIN_TOOLS, timeZone: tz }),
      timers: new TimerService({ dataDir: tempDir(), clock }),
      openUrl: { open: async () => {} },
      clipboard: { writeText: async () => {} },
      clock
    })
    const tools = await source.tools(new AbortController().signal)
    const time = tools.find((t) => t.name === 'get_current_time')!
    expect(JSON.parse(await time.run({}, { signal: new AbortController().signal }))).toEqual({
      local: 'Tuesday, 1 December 2026 at 14:30',
      iso: '2026-12-01T14:30:00+08:00',
      timeZone: 'Asia/Shanghai'
    })
  })

  it('each can be switched off; open_url opens http(s) only; copy_to_clipboard copies', async () => {
    const opened: string[] = []
    const copied: string[] = []
    let switches = { ...DEFAULT_BUILTIN_TOOLS }
    const source = createBuiltinTools({
      settings: () => ({ tools: switches, timeZone: null }),
      timers: new TimerService({ dataDir: tempDir() }),
      openUrl: { open: async (u) => void opened.push(u) },
      clipboard: { writeText: async (t) => void copied.push(t) }
    })
    const signal = new AbortController().signal
    const names = async (): Promise<string[]> => (await source.tools(signal)).map((t) => t.name)
    expect(await names()).toEqual(['set_timer', 'list_timers', 'cancel_timer', 'get_current_time', 'open_url', 'copy_to_clipboard'])
    switches = { timers: false, clock: true, openUrl: false, clipboard: true }
    expect(await names()).toEqual(['get_current_time', 'copy_to_clipboard'])
    switches = { ...DEFAULT_BUILTIN_TOOLS }
    const tools = await source.tools(signal)
    const open = tools.find((t) => t.name === 'open_url')!
    await expect(open.run({ url: 'https://platform.xiaomimimo.com/#/console' }, { signal })).resolves.toBe('Opened https://platform.xiaomimimo.com/#/console in the browser.')
    await expect(open.run({ url: 'file:///etc/passwd' }, { signal })).rejects.toThrow('Only http and https addresses are opened.')
    await expect(open.run({ url: 'javascript:alert(1)' }, { signal })).rejects.toThrow('Only http and https')
    await expect(open.run({ url: 'https://user:pw@example.com/' }, { signal })).rejects.toThrow(/user name or password/)
    expect(opened).toEqual(['https://platform.xiaomimimo.com/#/console'])
    await tools.find((t) => t.name === 'copy_to_clipboard')!.run({ text: '你好, MiMo' }, { signal })
    expect(copied).toEqual(['你好, MiMo'])
    expect(checkWebAddress(' http://example.com ')).toBe('http://example.com/')
  })
})
