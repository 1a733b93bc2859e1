/**
 * The bridge's wire format: JSON text frames over one WebSocket.
 *
 *   page -> host  { type: 'invoke', id, channel, payload? }
 *   host -> page  { type: 'result', id, result }          (the channel's Result, as ipcMain returns it)
 *                 { type: 'event', channel, payload }     (what the main process sends the window)
 *
 * Electron's IPC carries bytes (structured clone); JSON does not. Every Uint8Array (Buffer included)
 * travels as `{ "$bytes": "<base64>" }` and comes back as a Uint8Array. Used by both ends, so it has
 * no Node-only code (atob/btoa exist in Node 20 and in the page).
 */

export const BRIDGE_PATH = '/bridge'
const BYTES_TAG = '$bytes'

export interface InvokeFrame {
  type: 'invoke'
  id: number
  channel: string
  payload?: unknown
}
export interface ResultFrame {
  type: 'result'
  id: number
  result: unknown
}
export interface EventFrame {
  type: 'event'
  channel: string
  payload: unknown
}
export type Frame = InvokeFrame | ResultFrame | EventFrame

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  const step = 0x8000
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step))
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** Tags byte arrays (at any depth) so they survive JSON; everything else is left as JSON would see it. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: toBase64(value) }
  if (Array.isArray(value)) return value.map(encodeValue)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v)
    return out
  }
  return value
}

/** The reverse of encodeValue: tagged objects become Uint8Arrays again. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue)
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0][0] === BYTES_TAG && typeof entries[0][1] === 'string') return fromBase64(entries[0][1])
    const out: Record<string, unknown> = {}
    for (const [k, v] of entries) out[k] = decodeValue(v)
    return out
  }
  return value
}

export function encodeFrame(frame: Frame): string {
  return JSON.stringify(encodeValue(frame))
}

/** Null for anything that is not one of our frames. */
export function decodeFrame(text: string): Frame | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  const frame = decodeValue(parsed) as Partial<Frame> | null
  if (!frame || typeof frame !== 'object') return null
  if (frame.type === 'invoke' && typeof frame.id === 'number' && typeof frame.channel === 'string') return frame as InvokeFrame
  if (frame.type === 'result' && typeof frame.id === 'number') return frame as ResultFrame
  if (frame.type === 'event' && typeof frame.channel === 'string') return frame as EventFrame
  return null
}
