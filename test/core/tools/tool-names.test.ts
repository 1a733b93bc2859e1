import { describe, expect, it } from 'vitest'
import { assignNames, fitName, FUNCTION_NAME } from '../../../src/core/tools/tool-names'
import { Toolset } from '../../../src/core/tools/toolset'
import type { Tool } from '../../../src/core/tools/tool'

const tool = (name: string, server?: string): Tool => ({ name, ...(server ? { server } : {}), description: '', parameters: { type: 'object' }, run: async () => `${server ?? ''}/${name}` })

describe('tool names', () => {
  it('keep names that fit; prefix MCP tools with their server', () => {
    expect(assignNames([{ name: 'set_timer' }, { name: 'read_text_file', server: 'files' }, { name: 'get-sum', server: 'everything' }])).toEqual([
      'set_timer',
      'files__read_text_file',
      'everything__get-sum'
    ])
  })

  it('make names that do not fit fit, distinct, and reversible through the toolset', async () => {
    const tools = [tool('read.file', 'my files'), tool('read file', 'my files'), tool('x'.repeat(80), 'long'), tool('工具', 'cn')]
    const names = assignNames(tools)
    for (const n of names) expect(n).toMatch(FUNCTION_NAME)
    expect(new Set(names).size).toBe(4)
    expect(names[0]).toMatch(/^my_files__read_file_[0-9a-f]{6}$/)
    expect(names[2]).toHaveLength(64)
    // Stable: the same tool gets the same name next turn.
    expect(assignNames(tools)).toEqual(names)
    const set = new Toolset(tools)
    for (const [i, n] of names.entries()) expect(await set.find(n)!.run({}, { signal: new AbortController().signal })).toBe(`${tools[i].server}/${tools[i].name}`)
    expect(set.definitions().map((d) => d.function.description)).toEqual(['[my files] read.file', '[my files] read file', `[long] ${'x'.repeat(80)}`, '[cn] 工具'])
  })

  it('two tools whose fitted names collide are told apart', () => {
    const names = assignNames([{ name: 'a__b' }, { name: 'b', server: 'a' }])
    expect(names[0]).toBe('a__b')
    expect(names[1]).not.toBe('a__b')
    expect(names[1]).toMatch(FUNCTION_NAME)
    expect(fitName('ok-name_1')).toBe('ok-name_1')
  })
})
