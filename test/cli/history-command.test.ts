// Each step is a process of its own, started from source: slow on a busy machine, hence the long timeouts.
/**
 * The command's history, run as a user runs it (node + tsx, a data folder of its own) against the
 * fake MiMo server: turns kept by `ask`, `ask --continue` sending them as the history, `--no-history`,
 * and `history list | show | search | export | rm | clear`.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConversationSummary, SearchHit } from '../../src/shared/history'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'

const ROOT = resolve(__dirname, '../..')
const SOURCE_ENTRY = join(ROOT, 'src/cli/run.ts')

let fake: FakeMimo
let dir: string

function run(args: string[], entry: 'source' | 'bin' = 'source'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const start = entry === 'bin' ? [join(ROOT, 'bin/mimo-voice.mjs')] : ['--import', 'tsx', SOURCE_ENTRY]
  const child = spawn(process.execPath, [...start, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), MIMO_VOICE_DATA_DIR: join(dir, 'data') },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdin.end('')
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

const api = ['--base-url', 'URL', '--api-key', 'test-key', '--no-speak']
const ask = (reply: string, ...args: string[]) => {
  fake.setReply(reply)
  return run(['ask', ...api.map((a) => (a === 'URL' ? fake.url : a)), ...args])
}
const BUNDLE = join(ROOT, 'out/cli/mimo-voice.mjs')
const lastMessages = (): Array<{ role: string; content: unknown }> => {
  const chats = fake.requests.filter((r) => r.path.endsWith('/chat/completions') && (r.body as { stream?: boolean }).stream)
  return (chats.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> }).messages
}

beforeAll(async () => {
  fake = await startFakeMimo({ reply: 'x' })
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-history-cli-'))
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('mimo-voice history', () => {
  it('keeps what ask asked, continues it, leaves no trace with --no-history, and lists, searches, shows and exports it', async () => {
    expect((await run(['history'])).stdout).toMatch(/No conversations kept yet/)
    const none = await ask('-', '--continue', 'Go on')
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no kept conversation to continue/)

    expect((await ask('About nine minutes for a firm yolk.', 'How long should I boil an egg?')).code).toBe(0)
    const first = JSON.parse((await run(['history', 'list', '--json'])).stdout) as ConversationSummary[]
    expect(first.map((c) => [c.title, c.turnCount])).toEqual([['How long should I boil an egg?', 1]])

    const cont = await ask('Six minutes.', '--continue', '--json', 'And a soft one?')
    expect(cont.code).toBe(0)
    expect(JSON.parse(cont.stdout).conversation).toBe(first[0].id)
    expect(lastMessages().slice(1)).toEqual([
      { role: 'user', content: 'How long should I boil an egg?' },
      { role: 'assistant', content: 'About nine minutes for a firm yolk.' },
      { role: 'user', content: 'And a soft one?' }
    ])

    expect((await ask('北京今天晴，最高气温二十四度。', '今天北京的天气怎么样？')).code).toBe(0)
    expect((await ask('Nobody will know.', '--no-history', 'A secret question')).code).toBe(0)

    const list = JSON.parse((await run(['history', 'list', '--json'])).stdout) as ConversationSummary[]
    expect(list.map((c) => [c.title, c.turnCount])).toEqual([
      ['今天北京的天气怎么样？', 1],
      ['How long should I boil an egg?', 2]
    ])
    const table = (await run(['history'])).stdout
    expect(table).toContain('How long should I boil an egg?')
    expect(table).not.toContain('secret')

    // A continued conversation by its ID.
    expect((await ask('Under running cold water.', `--continue=${first[0].id}`, 'How do I peel it?')).code).toBe(0)
    expect(lastMessages().filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'How long should I boil an egg?',
      'And a soft one?',
      'How do I peel it?'
    ])

    const hits = (q: string) => run(['history', 'search', q, '--json']).then((r) => JSON.parse(r.stdout) as SearchHit[])
    expect((await hits('soft')).map((h) => h.question.text)).toEqual(['And a soft one?'])
    expect((await hits('天气')).map((h) => h.question.text)).toEqual(['今天北京的天气怎么样？'])
    expect((await hits('气温')).map((h) => h.answer.text)).toEqual(['北京今天晴，最高气温二十四度。'])
    expect(await hits('secret')).toEqual([])

    const shown = await run(['history', 'show', String(first[0].id)])
    expect(shown.stdout).toContain('## How long should I boil an egg?')
    expect(shown.stdout).toContain('> How do I peel it?')
    expect(shown.stdout).toContain('Under running cold water.')

    const out = join(dir, 'all.json')
    const exported = await run(['history', 'export', '--format', 'json', '--out', out])
    expect(exported.code).toBe(0)
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { schema: string; conversations: Array<{ turns: Array<{ question: string }> }> }
    expect(doc.schema).toBe('mimo-voice-history/1')
    expect(doc.conversations.map((c) => c.turns.map((t) => t.question))).toEqual([
      ['How long should I boil an egg?', 'And a soft one?', 'How do I peel it?'],
      ['今天北京的天气怎么样？']
    ])
    const md = await run(['history', 'export', String(list[0].id), '--format', 'md'])
    expect(md.stdout).toMatch(/^# MiMo Voice conversations\n\n## 今天北京的天气怎么样？/)
  }, 300_000)

  it('deletes one or all, and refuses what it cannot do with exit 2', async () => {
    const list = JSON.parse((await run(['history', 'list', '--json'])).stdout) as ConversationSummary[]
    expect(list.length).toBeGreaterThan(1)
    const rm = await run(['history', 'rm', String(list[0].id)])
    expect(rm.code).toBe(0)
    expect(rm.stdout).toMatch(/^Deleted conversation/)
    expect((await run(['history', 'rm', String(list[0].id)])).code).toBe(2)
    expect((await run(['history', 'export', '--format', 'pdf'])).code).toBe(2)
    expect((await run(['history', 'show', 'abc'])).code).toBe(2)
    expect((await ask('-', '--continue', String(list[0].id), 'Hello')).stderr).toMatch(/no longer in the history/)

    const refused = await run(['history', 'clear'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/--yes/)
    expect((await run(['history', 'clear', '--yes'])).stdout).toMatch(/^Deleted 1 conversation\./)
    expect(JSON.parse((await run(['history', 'list', '--json'])).stdout)).toEqual([])
  }, 180_000)

  it.skipIf(!existsSync(BUNDLE))('the built command keeps and finds turns too (the driver loaded from node_modules, not bundled)', async () => {
    fake.setReply('晴天，适合散步。')
    const asked = await run(['ask', '--base-url', fake.url, '--api-key', 'test-key', '--no-speak', '今天天气适合散步吗？'], 'bin')
    expect(asked.code).toBe(0)
    const found = JSON.parse((await run(['history', 'search', '散步', '--json'], 'bin')).stdout) as SearchHit[]
    expect(found.map((h) => h.question.text)).toEqual(['今天天气适合散步吗？'])
    expect(readFileSync(BUNDLE, 'utf8')).toMatch(/from ["']libsql["']/)
  }, 120_000)
  if (!existsSync(BUNDLE)) console.log(`Skipping the bundle check: ${BUNDLE} is not built (npm run build:cli).`)
})
