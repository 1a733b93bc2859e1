// Tools in the app wiring (createMainApp with fakes of Electron's objects, the real tool service over
// a temporary data folder): timers and waiting calls reach the window and the tray, the tray's items
// act, and MCP servers from the window start only once the user allowed them outside the window.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TrayMenuItem } from '../../src/main/electron/tray-menu'
import { changedServers } from '../../src/main/ipc-handlers'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { createToolService, type ToolServiceParts } from '../../src/core/tools/tool-service'
import { fakeServices } from './electron/fake-services'
import { appRig } from './app-rig'
import { ManualClock } from '../core/tools/manual-clock'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})

function setup(approve: boolean) {
  const s = fakeServices()
  s.settings.value = { ...s.settings.value, firstRunDone: true }
  const dir = mkdtempSync(join(tmpdir(), 'mimo-tools-wiring-'))
  const clock = new ManualClock()
  const tools: ToolServiceParts = createToolService({
    settings: s.settings,
    dataDir: dir,
    speak: async () => {},
    openUrl: { open: async () => {} },
    clipboard: { writeText: async () => {} },
    clock,
    scheduler: clock
  })
  tools.start()
  const asked: string[][] = []
  const rig = appRig({
    services: { ...s, tools },
    approveMcpServers: async (_servers, changed) => {
      asked.push(changed)
      return approve
    }
  })
  const app = rig.app
  cleanup.push(async () => {
    app.stop()
    await tools.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { s, app, tools, clock, sent: rig.sent, views: rig.views, asked, handlers: rig.handlers }
}

const item = (menu: TrayMenuItem[], id: string): TrayMenuItem | undefined =>
  menu.flatMap((i) => [i, ...(i.submenu ?? [])]).find((i) => i.id === id)

describe('tools in the app wiring', () => {
  it('timers reach the window and the tray; the tray cancels one', async () => {
    const t = setup(true)
    await t.app.start()
    await dispatchInvoke(t.handlers(), 'assistant:snapshot', undefined)
    const timer = t.tools.timerService.add({ dueAtMs: t.clock.now() + 60_000, label: 'Tea', kind: 'timer' })
    expect(t.sent.filter(([c]) => c === 'tools:timers').at(-1)?.[1]).toEqual([timer])
    const menu = t.views.at(-1)!.menu
    expect(item(menu, 'timers')?.label).toBe('Timers (1)')
    item(menu, `timer-${timer.id}`)!.click!()
    expect(t.tools.timers()).toEqual([])
    expect(item(t.views.at(-1)!.menu, 'timers')).toBeUndefined()
    const listed = await dispatchInvoke(t.handlers(), 'tools:timers', undefined)
    expect(listed).toEqual({ ok: true, value: [] })
    const cancelled = await dispatchInvoke(t.handlers(), 'tools:cancel-timer', { id: 'nope' })
    expect(cancelled).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no timer with the id "nope"/) } })
  })

  it('a call waiting for a yes is in the tray first; Allow there answers it', async () => {
    const t = setup(true)
    await t.app.start()
    const answer = t.tools.broker.ask('turn-1', {
      call: { id: 'call_1', round: 1, tool: 'write_file', server: 'files', arguments: '{}', status: 'confirm' },
      tool: { name: 'write_file', server: 'files', description: '', parameters: {}, run: async () => '' },
      reason: 'destructive',
      signal: new AbortController().signal
    })
    const menu = t.views.at(-1)!.menu
    expect(menu.slice(0, 2).map((i) => i.label)).toEqual(['Allow files › write_file', 'Refuse files › write_file'])
    menu[0].click!()
    await expect(answer).resolves.toBe(true)
    expect(t.views.at(-1)!.menu[0].id).toBe('talk')
    expect(await dispatchInvoke(t.handlers(), 'tools:confirm', { callId: 'call_1', allow: true })).toEqual({ ok: true, value: { answered: false } })
  })

  it('an mcpServers document from the window: saved only when the user allows the new command', async () => {
    const refused = setup(false)
    await refused.app.start()
    // A program that is not there: once allowed, starting it fails at once (nothing is fetched or run).
    const doc = JSON.stringify({ mcpServers: { files: { command: join(tmpdir(), 'no-such-mcp-server'), args: ['/tmp'] } } })
    const r = await dispatchInvoke(refused.handlers(), 'tools:mcp-set', { document: doc })
    expect(r).toMatchObject({ ok: false, error: { message: 'mcpServers: Not saved: starting "files" was not allowed.' } })
    expect(refused.asked).toEqual([['files']])
    expect(refused.s.settings.value.mcpServers).toEqual({})

    const allowed = setup(true)
    await allowed.app.start()
    const ok = await dispatchInvoke(allowed.handlers(), 'tools:mcp-set', { document: doc })
    expect(ok).toMatchObject({ ok: true, value: { servers: { files: { args: ['/tmp'] } } } })
    // Switching it off and on again runs nothing new: no question.
    await dispatchInvoke(allowed.handlers(), 'tools:mcp-enable', { name: 'files', enabled: false })
    expect(allowed.s.settings.value.mcpServers.files.disabled).toBe(true)
    await dispatchInvoke(allowed.handlers(), 'tools:mcp-enable', { name: 'files', enabled: true })
    expect(allowed.asked).toEqual([['files']])
    const broken = await dispatchInvoke(allowed.handlers(), 'tools:mcp-set', { document: '{"mcpServers": {"x": {}}}' })
    expect(broken).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^mcpServers: x: needs either a "command"/) } })
  })

  it('what counts as a change to allow: the program, its arguments, environment or address', () => {
    const before = { a: { command: 'node', args: ['x'] }, b: { url: 'https://x/mcp' } }
    expect(changedServers(before, { ...before, a: { ...before.a, askFirst: ['*'] } })).toEqual([])
    expect(changedServers(before, { ...before, a: { command: 'node', args: ['y'] } })).toEqual(['a'])
    expect(changedServers(before, { ...before, a: { ...before.a, env: { TOKEN: '1' } } })).toEqual(['a'])
    // Added switched off, it would start later without a question: it asks now.
    expect(changedServers(before, { ...before, c: { command: 'evil', disabled: true } })).toEqual(['c'])
    expect(changedServers(before, { ...before, a: { ...before.a, disabled: true } })).toEqual([])
    expect(changedServers(before, { ...before, b: { url: 'https://y/mcp' } })).toEqual(['b'])
  })
})
