// What tools cost a turn: starting an MCP server over stdio (the filesystem server from npm), one
// call to it, and a whole turn with one tool round against the fake MiMo server compared with the
// same turn without tools (time to the first audio written, the fake at realistic latencies).
// Prints a markdown table.
//
//   npx tsx bench/tools.ts [--runs 9]

import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createAssistant } from '../src/core/assistant/assistant'
import { createVoiceResolver } from '../src/core/assistant/voice-resolver'
import { MimoClient } from '../src/core/mimo/client'
import { McpHub } from '../src/core/tools/mcp-servers'
import type { Tool } from '../src/core/tools/tool'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import { startFakeMimo } from '../test/fake-mimo/server'
import { RecordingSink } from '../test/core/assistant/recording-sink'
import { FakeRecorder } from '../test/core/assistant/fake-recorder'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } })
const RUNS = Math.max(3, Number(values.runs))
const require = createRequire(import.meta.url)
const FILESYSTEM = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js')

function stats(xs: number[]): { median: number; p90: number } {
  const s = [...xs].sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] }
}
const ms = (n: number): string => n.toFixed(1)

async function main(): Promise<void> {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'mimo-bench-tools-')))
  const file = join(folder, 'notes.txt')
  writeFileSync(file, 'The spare key is under the blue flower pot.\n')
  const rows: string[] = []

  // Starting the server: spawn, MCP initialize, tools/list.
  const starts: number[] = []
  const calls: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const hub = new McpHub({ servers: () => ({ files: { command: process.execPath, args: [FILESYSTEM, folder] } }) })
    const t0 = performance.now()
    await hub.startAll()
    starts.push(performance.now() - t0)
    const read = (await hub.tools(new AbortController().signal)).find((t) => t.name === 'read_text_file')!
    for (let k = 0; k < 20; k++) {
      const t1 = performance.now()
      await read.run({ path: file }, { signal: new AbortController().signal })
      calls.push(performance.now() - t1)
    }
    await hub.close()
  }
  const s = stats(starts)
  const c = stats(calls)
  rows.push(`| MCP filesystem server: start (spawn, initialize, tools/list) | ${RUNS} | ${ms(s.median)} | ${ms(s.p90)} |`)
  rows.push(`| MCP filesystem server: one read_text_file call over stdio | ${calls.length} | ${ms(c.median)} | ${ms(c.p90)} |`)

  // A whole turn: first audio with and without one tool round (the fake at 300 ms first token, 20 ms per token).
  const fake = await startFakeMimo({ latency: { firstTokenMs: 300, perTokenMs: 20, ttsFirstByteMs: 120 } })
  const client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key' })
  const lookup: Tool = { name: 'lookup', description: 'Looks it up.', parameters: { type: 'object', properties: {} }, run: async () => 'Sunny, 24 degrees' }
  const firstAudio = async (withTools: boolean): Promise<number> => {
    const assistant = createAssistant({
      client,
      recorder: new FakeRecorder(),
      createSink: async () => new RecordingSink(),
      settings: () => ({ ...DEFAULT_SETTINGS, baseUrl: fake.url }),
      voices: createVoiceResolver(),
      realtimeSink: false,
      ...(withTools ? { tools: { tools: async () => [lookup] } } : {})
    })
    const turn = await assistant.settled(assistant.ask(withTools ? 'Weather? [[lookup {}]]' : 'Weather?').turnId)
    assistant.dispose()
    if (turn.status !== 'done') throw new Error(`turn ${turn.status}`)
    return turn.timings.firstAudio!
  }
  const plain: number[] = []
  const tooled: number[] = []
  for (let i = 0; i < RUNS; i++) {
    plain.push(await firstAudio(false))
    tooled.push(await firstAudio(true))
  }
  const p = stats(plain)
  const t = stats(tooled)
  rows.push(`| turn, first audio, no tools (fake: 300 ms to first token) | ${RUNS} | ${ms(p.median)} | ${ms(p.p90)} |`)
  rows.push(`| turn, first audio, one tool round (two chat requests) | ${RUNS} | ${ms(t.median)} | ${ms(t.p90)} |`)
  await client.close()
  await fake.close()
  rmSync(folder, { recursive: true, force: true })

  console.log('| measure | runs | median ms | p90 ms |')
  console.log('|---|---|---|---|')
  for (const r of rows) console.log(r)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
