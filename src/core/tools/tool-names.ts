/**
 * The names the model sees. The reference allows 1 to 64 characters of a-z, A-Z, 0-9, `_` and `-`.
 * Built-in tools are named so already; an MCP tool is offered as `<server>__<tool>`, and a name that
 * does not fit is made to fit (other characters become `_`, a long name is cut and keeps a short
 * hash of the whole), and is unique among the turn's tools. The map back is kept by the toolset.
 */
import { createHash } from 'node:crypto'

export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/
const MAX = 64
export const SERVER_SEPARATOR = '__'

function hash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

/** A name the service accepts, for this wanted name. */
export function fitName(wanted: string): string {
  if (FUNCTION_NAME.test(wanted)) return wanted
  const cleaned = wanted.replace(/[^A-Za-z0-9_-]/g, '_') || 'tool'
  if (cleaned.length <= MAX && cleaned !== wanted) {
    // Cleaning alone could make two names equal ("a.b" and "a b"): the hash tells them apart.
    const tagged = `${cleaned}_${hash(wanted, 6)}`
    return tagged.length <= MAX ? tagged : `${cleaned.slice(0, MAX - 7)}_${hash(wanted, 6)}`
  }
  return `${cleaned.slice(0, MAX - 9)}_${hash(wanted)}`
}

/** The wanted name of a tool: its own for a built-in, `<server>__<tool>` for an MCP tool. */
export function wantedName(tool: { name: string; server?: string }): string {
  return tool.server ? `${tool.server}${SERVER_SEPARATOR}${tool.name}` : tool.name
}

/** Names for these tools, in order: each fits the reference and no two are equal. */
export function assignNames(tools: Array<{ name: string; server?: string }>): string[] {
  const used = new Set<string>()
  return tools.map((t, i) => {
    let name = fitName(wantedName(t))
    if (used.has(name)) name = `${name.slice(0, MAX - 9)}_${hash(`${wantedName(t)}#${i}`)}`
    used.add(name)
    return name
  })
}
