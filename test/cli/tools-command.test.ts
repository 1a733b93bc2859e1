// `mimo-voice ask --tools / --mcp FILE / --yes` and `mimo-voice timers`, run as a user runs them,
// against the fake MiMo service; the MCP server is the real filesystem server from npm.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { runCommand } from './run-command'

const require = createRequire(import.meta.url)
const FILESYSTEM = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js')

let fake: FakeMimo
let dir: string
let folder: string
let mcpFile: string

beforeAll(async () => {
  fake = await startFakeMimo()
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-tools-cli-'))
  folder = realpathSync(mkdtempSync(join(tmpdir(), 'mimo-voice-tools-files-')))
  writeFileSync(join(folder, 'recipe.txt'), 'Boil the pasta for nine minutes.\n')
  mcpFile = join(dir, 'mcp.json')
  writeFileSync(mcpFile, JSON.stringify({ mcpServers: { files: { command: process.execPath, args: [FILESYSTEM, folder] } } }))
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(folder, { recursive: true, force: true })
})
beforeEach(() => fake.clearRequests())

const run = (args: string[]) => runCommand(dir, args)
const api = ['--base-url', '', '--api-key', 'test-key']
const ask = (...args: string[]) => run(['ask', ...api.map((a) => a || fake.url), '--no-speak', ...args])
const json = (r: { stdout: Buffer }) => JSON.parse(r.stdout.toString().trim().split('\n').at(-1)!)

describe('mimo-voice tools', () => {
  it('--tools: a timer set by a question is listed by `timers`, cancelled by `timers cancel ID`', async () => {
    const r = await ask('--tools', '--json', 'Set a timer for ten minutes.')
    expect(r.code).toBe(0)
    const out = json(r)
    expect(out.toolCalls).toEqual([expect.objectContaining({ tool: 'set_timer', status: 'done', arguments: '{"seconds":600,"label":"Timer"}', round: 1 })])
    expect(out.reply).toContain('set_timer')

    const listed = await run(['timers', 'list', '--json'])
    expect(listed.code).toBe(0)
    const timers = json(listed) as Array<{ id: string; label: string; dueAt: string }>
    expect(timers).toHaveLength(1)
    const dueIn = Date.parse(timers[0].dueAt) - Date.now()
    expect(dueIn).toBeGreaterThan(500_000)
    expect(dueIn).toBeLessThanOrEqual(600_000)
    const text = await run(['timers'])
    expect(text.stdout.toString()).toContain(`${timers[0].id}  timer`)

    expect((await run(['timers', 'cancel', timers[0].id])).stdout.toString()).toBe(`Cancelled timer "Timer" (${timers[0].id}).\n`)
    expect((await run(['timers'])).stdout.toString()).toBe('No timers or reminders are set.\n')
    const again = await run(['timers', 'cancel', timers[0].id])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/no timer with the id/)
  })

  it('without --tools no function tool is offered; the tool lines go to stderr, the answer to stdout', async () => {
    const plain = await ask('Set a timer for ten minutes.')
    expect(plain.code).toBe(0)
    const body = fake.requests[0].body as { tools?: unknown }
    expect(body.tools).toBeUndefined()

    const r = await ask('--tools', 'What time is it?')
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^\[tool\] get_current_time \{\} → \{"local":/m)
    expect(r.stdout.toString()).toContain('get_current_time tool says')
  })

  it('--mcp FILE: the real filesystem server answers; a destructive call is refused without --yes, allowed with it', async () => {
    const read = await ask('--mcp', mcpFile, '--json', `[[files__read_text_file {"path":${JSON.stringify(join(folder, 'recipe.txt'))}}]]`)
    expect(read.code).toBe(0)
    expect(json(read).toolCalls[0]).toMatchObject({ server: 'files', tool: 'read_text_file', status: 'done' })
    expect(json(read).reply).toContain('Boil the pasta for nine minutes')

    const target = join(folder, 'note.txt')
    const write = `[[files__write_file {"path":${JSON.stringify(target)},"content":"Buy basil."}]]`
    const refused = await ask('--mcp', mcpFile, '--json', write)
    expect(refused.code).toBe(0)
    expect(json(refused).toolCalls[0]).toMatchObject({ tool: 'write_file', status: 'refused' })
    expect(refused.stderr).toMatch(/Refused files › write_file: it asks first \(destructive\); pass --yes/)
    expect(existsSync(target)).toBe(false)

    const allowed = await ask('--mcp', mcpFile, '--yes', '--json', write)
    expect(json(allowed).toolCalls[0]).toMatchObject({ tool: 'write_file', status: 'done' })
    expect(readFileSync(target, 'utf8')).toBe('Buy basil.')
  })

  it('a missing or broken --mcp file is refused before any request (exit 2)', async () => {
    const missing = await ask('--mcp', join(dir, 'nope.json'), 'Hi')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot be read/)
    writeFileSync(join(dir, 'bad.json'), '{"mcpServers":{"x":{"args":["a"]}}}')
    const bad = await ask('--mcp', join(dir, 'bad.json'), 'Hi')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/x: needs either a "command"/)
    expect(fake.requests).toHaveLength(0)
  })

  it('usage: timers takes list or cancel ID; --tools belongs to ask', async () => {
    expect((await run(['timers', 'cancel'])).code).toBe(2)
    expect((await run(['timers', 'delete', 'x'])).code).toBe(2)
    expect((await run(['say', '--tools', 'hi'])).stderr).toMatch(/--tools, --mcp and --yes belong to ask and chat/)
  })
})
