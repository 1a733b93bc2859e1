// Real MCP servers from the npm registry, started over stdio (and one over streamable HTTP) through
// the SDK's client: the fake MiMo service asks for their tools, the results reach the follow-up
// request, and the spoken answer uses them. A server that dies mid-call or cannot start is survived.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { isAlive } from '../../process-alive'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { MimoClient } from '../../../src/core/mimo/client'
import { createAssistant, type Assistant } from '../../../src/core/assistant/assistant'
import { createVoiceResolver } from '../../../src/core/assistant/voice-resolver'
import { ConfirmationBroker } from '../../../src/core/tools/confirmations'
import { McpHub, type McpNotice } from '../../../src/core/tools/mcp-servers'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import type { McpServers } from '../../../src/shared/tools'
import { FakeRecorder } from '../assistant/fake-recorder'
import { RecordingSink } from '../assistant/recording-sink'

const require = createRequire(import.meta.url)
const FILESYSTEM = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js')
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')

let fake: FakeMimo
let client: MimoClient
let folder: string
const hubs: McpHub[] = []
const assistants: Assistant[] = []

beforeAll(async () => {
  fake = await startFakeMimo()
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
  folder = realpathSync(mkdtempSync(join(tmpdir(), 'mimo-mcp-')))
  writeFileSync(join(folder, 'notes.txt'), 'The spare key is under the blue flower pot.\n')
})
afterAll(async () => {
  await client.close()
  await fake.close()
  rmSync(folder, { recursive: true, force: true })
})
afterEach(async () => {
  for (const a of assistants.splice(0)) a.dispose()
  await Promise.all(hubs.splice(0).map((h) => h.close()))
  fake.clearRequests()
})

function hubFor(servers: McpServers, notices: McpNotice[] = []): McpHub {
  const hub = new McpHub({ servers: () => servers, onNotice: (n) => notices.push(n), startWaitMs: 20_000 })
  hubs.push(hub)
  return hub
}

function assistantWith(hub: McpHub, o: { confirmations?: ConfirmationBroker; settings?: Partial<Settings> } = {}): Assistant {
  const assistant = createAssistant({
    client,
    recorder: new FakeRecorder(),
    createSink: async () => new RecordingSink(),
    settings: () => ({ ...DEFAULT_SETTINGS, ...o.settings }),
    voices: createVoiceResolver(),
    realtimeSink: false,
    tools: hub,
    ...(o.confirmations ? { confirmations: o.confirmations } : {})
  })
  assistants.push(assistant)
  return assistant
}

type Body = { messages: Array<Record<string, unknown>>; tools?: Array<{ type: string; function?: { name: string } }>; model: string; stream?: boolean }
const body = (r: LoggedRequest): Body => r.body as Body
const chats = (): LoggedRequest[] => fake.requests.filter((r) => !body(r).model.includes('tts') && body(r).stream === true)
const spoken = (): string =>
  fake.requests
    .filter((r) => body(r).model.includes('tts'))
    .map((r) => String(body(r).messages.find((m) => m.role === 'assistant')?.content))
    .join(' ')

/** The stdio child the hub started for a server (a child of this process, found by its command line). */
function childPid(script: string): number {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  const line = out.split('\n').find((l) => l.includes(script))
  if (!line) throw new Error(`no child runs ${script}:\n${out}`)
  return Number(line.trim().split(/\s+/)[0])
}

describe('MCP servers over stdio', () => {
  it('the filesystem server in a temporary folder: its tool is offered under the server prefix, its result is spoken', async () => {
    const hub = hubFor({ files: { command: process.execPath, args: [FILESYSTEM, folder] } })
    await hub.startAll()
    expect(hub.status()).toEqual([expect.objectContaining({ name: 'files', state: 'ready', tools: expect.arrayContaining(['read_text_file', 'write_file']) })])
    const assistant = assistantWith(hub)
    const path = join(folder, 'notes.txt')
    const turn = await assistant.settled(assistant.ask(`Where is the spare key? [[files__read_text_file {"path":${JSON.stringify(path)}}]]`).turnId)

    expect(turn.status).toBe('done')
    const offered = (body(chats()[0]).tools ?? []).map((t) => t.function?.name)
    expect(offered).toContain('files__read_text_file')
    expect(offered).toContain('files__write_file')
    const answer = body(chats()[1]).messages.at(-1) as { role: string; content: string }
    expect(answer.role).toBe('tool')
    expect(answer.content).toContain('The spare key is under the blue flower pot.')
    expect(turn.toolCalls).toEqual([expect.objectContaining({ tool: 'read_text_file', server: 'files', status: 'done' })])
    expect(spoken()).toContain('The spare key is under the blue flower pot')
  })

  it('a destructive tool (annotations.destructiveHint) asks first; refused, nothing is written', async () => {
    const hub = hubFor({ files: { command: process.execPath, args: [FILESYSTEM, folder] } })
    await hub.startAll()
    const write = (await hub.tools(new AbortController().signal)).find((t) => t.name === 'write_file')!
    const read = (await hub.tools(new AbortController().signal)).find((t) => t.name === 'read_text_file')!
    expect(write.confirm).toBe('destructive')
    expect(read.confirm).toBeUndefined()
    const broker = new ConfirmationBroker()
    const assistant = assistantWith(hub, { confirmations: broker })
    const target = join(folder, 'new.txt')
    const { turnId } = assistant.ask(`[[files__write_file {"path":${JSON.stringify(target)},"content":"hello"}]]`)
    await until(() => broker.list().length === 1, { timeoutMs: 10_000 })
    expect(broker.list()[0]).toMatchObject({ tool: 'write_file', server: 'files', reason: 'destructive' })
    broker.answer(broker.list()[0].callId, false)
    const turn = await assistant.settled(turnId)
    expect(turn.toolCalls?.[0].status).toBe('refused')
    expect(existsSync(target)).toBe(false)
  })

  it('"ask first" marks a harmless tool too', async () => {
    const hub = hubFor({ files: { command: process.execPath, args: [FILESYSTEM, folder], askFirst: ['list_directory'] } })
    await hub.startAll()
    const tools = await hub.tools(new AbortController().signal)
    expect(tools.find((t) => t.name === 'list_directory')?.confirm).toBe('ask-first')
    expect(tools.find((t) => t.name === 'read_text_file')?.confirm).toBeUndefined()
  })

  it('a server killed mid-call: the model gets an error result, the user a notice, the turn goes on; the next question starts it again', async () => {
    const notices: McpNotice[] = []
    const hub = hubFor({ everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } }, notices)
    await hub.startAll()
    const assistant = assistantWith(hub, { settings: { toolTimeoutSec: 60 } })
    const { turnId } = assistant.ask('[[everything__trigger-long-running-operation {"duration":20,"steps":20}]]')
    await until(() => assistant.snapshot().turns[0]?.toolCalls?.[0]?.status === 'running', { timeoutMs: 10_000 })
    const pid = childPid(EVERYTHING)
    process.kill(pid, 'SIGKILL')
    const turn = await assistant.settled(turnId)

    expect(turn.status).toBe('done')
    expect(turn.toolCalls?.[0]).toMatchObject({ status: 'error', error: expect.stringContaining('The MCP server "everything" stopped') })
    expect((body(chats()[1]).messages.at(-1) as { content: string }).content).toMatch(/^Error: The MCP server "everything" stopped/)
    expect(notices.map((n) => n.server)).toEqual(['everything'])
    expect(hub.status()[0].state).toBe('failed')

    // The next question starts the server again and its tools work; the user was told once.
    fake.clearRequests()
    const again = await assistant.settled(assistant.ask('[[everything__echo {"message":"still here"}]]').turnId)
    expect(again.toolCalls?.[0]).toMatchObject({ status: 'done', result: expect.stringContaining('still here') })
    expect(hub.status()[0].state).toBe('ready')
    expect(notices).toHaveLength(1)
  })

  it('a server that cannot start is reported, and the turn goes on with the other tools', async () => {
    const notices: McpNotice[] = []
    const hub = hubFor(
      { broken: { command: join(folder, 'no-such-server') }, files: { command: process.execPath, args: [FILESYSTEM, folder] } },
      notices
    )
    const assistant = assistantWith(hub)
    const turn = await assistant.settled(assistant.ask(`[[files__list_directory {"path":${JSON.stringify(folder)}}]]`).turnId)
    expect(turn.status).toBe('done')
    expect(turn.toolCalls?.[0]).toMatchObject({ status: 'done', result: expect.stringContaining('notes.txt') })
    expect(notices).toEqual([{ server: 'broken', message: expect.stringMatching(/^The MCP server "broken" could not start/) }])
    expect(hub.status().find((s) => s.name === 'broken')).toMatchObject({ state: 'failed' })
    // The next question neither waits for it again nor repeats the notice.
    await assistant.settled(assistant.ask('Thanks.').turnId)
    expect(notices).toHaveLength(1)
  })

  it('a server switched off is stopped and offers nothing', async () => {
    let servers: McpServers = { files: { command: process.execPath, args: [FILESYSTEM, folder] } }
    const hub = new McpHub({ servers: () => servers })
    hubs.push(hub)
    await hub.startAll()
    const pid = childPid(FILESYSTEM)
    servers = { files: { ...servers.files, disabled: true } }
    expect(await hub.tools(new AbortController().signal)).toEqual([])
    expect(hub.status()).toEqual([{ name: 'files', state: 'off', tools: [] }])
    await until(() => !isAlive(pid), { what: 'the server to exit' })
  })
})

describe('MCP servers over streamable HTTP', () => {
  let server: ChildProcess | undefined
  afterAll(() => {
    if (server?.pid) server.kill()
  })

  it('the everything server at a URL: tools listed and called', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    server = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()))
    await until(() => log.includes('listening'), { timeoutMs: 15_000, what: 'the HTTP server' })
    const hub = hubFor({ web: { url: `http://127.0.0.1:${port}/mcp` } })
    const tools = await hub.tools(new AbortController().signal)
    const sum = tools.find((t) => t.name === 'get-sum')!
    expect(sum.server).toBe('web')
    await expect(sum.run({ a: 2, b: 40 }, { signal: new AbortController().signal })).resolves.toBe('The sum of 2 and 40 is 42.')
  })
})
