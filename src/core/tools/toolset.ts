/** The tools of one turn: what the model is offered, and the way back from a name it calls to the tool. */
import type { FunctionTool } from '../mimo/types'
import { assignNames } from './tool-names'
import type { Tool, ToolSource } from './tool'

/** A server may describe its tools at length; every question carries the descriptions. */
const MAX_DESCRIPTION = 1024

export class Toolset {
  private readonly byName = new Map<string, Tool>()
  private readonly defs: FunctionTool[] = []

  constructor(tools: Tool[]) {
    const names = assignNames(tools)
    tools.forEach((tool, i) => {
      this.byName.set(names[i], tool)
      this.defs.push({
        type: 'function',
        function: {
          name: names[i],
          description: ((tool.server ? `[${tool.server}] ` : '') + (tool.description || tool.name)).slice(0, MAX_DESCRIPTION),
          parameters: tool.parameters
        }
      })
    })
  }

  /** Every source's tools; a source that fails is left out (it reports its own problem). */
  static async gather(sources: ToolSource[], signal: AbortSignal): Promise<Toolset> {
    const lists = await Promise.all(sources.map((s) => s.tools(signal).catch(() => [] as Tool[])))
    return new Toolset(lists.flat())
  }

  get size(): number {
    return this.defs.length
  }

  definitions(): FunctionTool[] {
    return this.defs
  }

  /** The tool the model means by this name. */
  find(name: string): Tool | undefined {
    return this.byName.get(name)
  }
}
