/**
 * How much of a response the client reads: every body and every server-sent event has a ceiling, so a
 * broken or hostile server cannot fill the memory with one endless answer, error or line.
 */
import type { Readable } from 'node:stream'
import { MimoError } from './errors'

export const BODY_LIMITS = {
  /** An error body is a sentence or two of JSON; what comes after this is not read. */
  errorBytes: 64 * 1024,
  /** A whole answer (non-streamed, or JSON to a streamed request): a voice-clone reply carries its audio, minutes at most. */
  answerBytes: 32 * 1024 * 1024,
  /** One server-sent event, all its lines: a voice-clone stream sends its audio as a single event. */
  sseEventBytes: 32 * 1024 * 1024
} as const

const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`

export function answerTooLarge(limit: number): MimoError {
  return new MimoError({
    status: 0,
    code: 'response_too_large',
    userMessage: `The service sent more than ${mb(limit)} in one answer, so it was not read. Check the base URL in Settings.`,
    message: `Response over ${limit} bytes`
  })
}

/**
 * The body as text, reading at most `limit` bytes. `truncate`: keep what was read and stop (an error's
 * words); otherwise more than the limit is an error. Either way the rest of the body is never read.
 */
export async function readTextWithin(body: Readable, limit: number, o: { truncate?: boolean } = {}): Promise<string> {
  const parts: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of body) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      if (length + bytes.length > limit) {
        if (!o.truncate) throw answerTooLarge(limit)
        parts.push(bytes.subarray(0, limit - length))
        length = limit
        break
      }
      parts.push(bytes)
      length += bytes.length
    }
  } finally {
    // Stopped early: the connection is not reused for the rest of a body nobody reads.
    if (!body.readableEnded) {
      body.on('error', () => {})
      body.destroy()
    }
  }
  return Buffer.concat(parts, length).toString('utf8')
}
