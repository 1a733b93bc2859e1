// Server-sent events from a byte stream. eventsource-parser handles the framing (LF, CR or CRLF line
// ends, multi-line `data:`, `:` comments); this adds a streaming UTF-8 decode so a character split
// across network chunks survives, and hands events out in batches, one per network chunk.

import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { answerTooLarge } from './body-limits'

export type { EventSourceMessage }

/**
 * Yields, per network chunk, the events it completed (often none, sometimes several). `maxEventBytes`
 * bounds what may arrive between two events (one endless line, or an event that never ends): past it,
 * reading stops with a MimoError.
 */
export async function* readSseEvents(
  body: AsyncIterable<Uint8Array | string>,
  o: { maxEventBytes?: number } = {}
): AsyncGenerator<EventSourceMessage[]> {
  const limit = o.maxEventBytes ?? Infinity
  let batch: EventSourceMessage[] = []
  let pending = 0
  const parser = createParser({
    onEvent: (event) => {
      batch.push(event)
      pending = 0
    }
  })
  const decoder = new TextDecoder('utf-8')
  let endsWithCr = false
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (text) endsWithCr = text.endsWith('\r')
    // Counted before the parser buffers it; an event completed within this chunk resets the count.
    pending += text.length
    parser.feed(text)
    if (pending > limit) throw answerTooLarge(limit)
    if (batch.length > 0) {
      const ready = batch
      batch = []
      yield ready
    }
  }
  // A final event without its blank line is incomplete: servers end every event with one, so it is dropped.
  // A CR at the very end is a line end, not the first half of a CRLF that is still coming.
  parser.feed(decoder.decode() + (endsWithCr ? '\n' : ''))
  if (batch.length > 0) yield batch
}
