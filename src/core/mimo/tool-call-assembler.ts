// Streamed tool calls arrive in pieces: the first piece of a call carries its index, id and name,
// later pieces of the same index add to its arguments. This puts them back together.
import type { ToolCall, ToolCallDelta } from './types'

interface Partial {
  index: number
  id: string
  name: string
  arguments: string
}

export class ToolCallAssembler {
  private readonly byIndex = new Map<number, Partial>()

  add(delta: ToolCallDelta): void {
    const index = typeof delta.index === 'number' && Number.isInteger(delta.index) && delta.index >= 0 ? delta.index : 0
    let call = this.byIndex.get(index)
    if (!call) this.byIndex.set(index, (call = { index, id: '', name: '', arguments: '' }))
    if (typeof delta.id === 'string' && delta.id && !call.id) call.id = delta.id
    const name = delta.function?.name
    // The name comes whole in the first piece; a service that repeats it must not double it.
    if (typeof name === 'string' && name && name !== call.name) call.name += name
    const args = delta.function?.arguments
    if (typeof args === 'string') call.arguments += args
  }

  get size(): number {
    return this.byIndex.size
  }

  /** The calls in index order. A call the service sent without an id gets one, so its answer can name it. */
  calls(): ToolCall[] {
    return [...this.byIndex.values()]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ id: c.id || `call_${c.index}`, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }))
  }
}
