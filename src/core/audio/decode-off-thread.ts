/**
 * Runs a decode job (src/core/audio/decode-jobs.ts) in a worker thread with a time limit, so a file that
 * takes long to decode never stalls the caller's event loop: the main process keeps serving the window
 * while a 60 MB import is measured. A worker that runs past its limit is terminated.
 *
 * Where the worker's code is: the built app and command emit `decode-worker.js` / `.mjs` beside their
 * entry and say so at start-up (useDecodeWorkerScript). From source (tests, tsx) the TypeScript file
 * beside this one is loaded through tsx.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { readAudioHeader } from './audio-header'
import type { DecodeJob, DecodeReply, DecodeResults } from './decode-jobs'
import { AudioFormatError } from './errors'

/** Decoding a long, legitimate file takes a few seconds; far longer means something is wrong with it. */
export const DECODE_TIME_LIMIT_MS = 30_000

let workerScript: string | undefined

/** The built worker's file (called once by the app's and the command's entry). */
export function useDecodeWorkerScript(path: string): void {
  workerScript = path
}

function startWorker(): Worker {
  // The worker's JavaScript heap is capped; the audio itself lives in typed arrays bounded by the header checks.
  const resourceLimits = { maxOldGenerationSizeMb: 512 }
  if (workerScript) return new Worker(workerScript, { resourceLimits })
  const here = dirname(fileURLToPath(import.meta.url))
  const source = join(here, 'decode-worker.ts')
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api')
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`, { eval: true, resourceLimits })
}

/** The job ran past its time limit and was stopped. */
export class DecodeTimeoutError extends AudioFormatError {
  constructor(limitMs: number) {
    super(
      `Reading the file took longer than ${limitMs >= 1000 ? `${Math.round(limitMs / 1000)} s` : `${limitMs} ms`}, so it was stopped.`,
      'Use a shorter recording, or convert it to a plain 16-bit WAV first.'
    )
  }
}

/**
 * Runs one job in a new worker; rejects with the worker's error (typed again) or DecodeTimeoutError.
 * The job's bytes are handed over: afterwards the caller's array may be empty (see ownedBuffer).
 */
export function runDecodeJob<K extends DecodeJob['kind']>(
  job: Extract<DecodeJob, { kind: K }>,
  o: { timeLimitMs?: number } = {}
): Promise<DecodeResults[K]> {
  const limit = o.timeLimitMs ?? DECODE_TIME_LIMIT_MS
  return new Promise((resolve, reject) => {
    let settled = false
    const worker = startWorker()
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      fn()
    }
    const timer = setTimeout(() => finish(() => reject(new DecodeTimeoutError(limit))), limit)
    worker.once('message', (reply: DecodeReply<K>) =>
      finish(() => (reply.ok ? resolve(reply.value) : reject(rebuild(reply.error))))
    )
    worker.once('error', (err) => finish(() => reject(new AudioFormatError(`The file could not be read: ${err.message}`))))
    worker.once('exit', (code) => finish(() => reject(new AudioFormatError(`The file could not be read (the decoder stopped with code ${code}).`))))
    worker.postMessage(job, ownedBuffer(job.bytes))
  })
}

/**
 * The bytes move to the worker when they own their whole buffer (a file just read, a payload just received):
 * no copy, no allocation on this thread. Cloning 60 MB instead holds the loop for tens of milliseconds, and
 * allocating a copy can start a garbage collection that does too. A view into a larger or shared buffer (a
 * pooled Buffer) is cloned, so nothing else loses its bytes.
 */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer
  if (!(buffer instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength) return []
  return [buffer]
}

function rebuild(e: { name: string; message: string; hint?: string }): Error {
  if (e.name === 'AudioFormatError') return new AudioFormatError(e.message, e.hint)
  return Object.assign(new Error(e.message), { name: e.name })
}

/**
 * prepareForUpload (src/core/audio/wav.ts) off the calling thread: the header is judged here and a bad
 * one refused at once (AudioFormatError); the decoding and resampling run in the worker.
 */
export async function prepareForUploadOffThread(
  bytes: Uint8Array,
  o: { timeLimitMs?: number } = {}
): Promise<{ bytes: Buffer; container: 'wav' | 'mp3'; durationSec?: number }> {
  readAudioHeader(bytes, 'This file')
  const prepared = await runDecodeJob({ kind: 'prepare-upload', bytes }, o)
  return { ...prepared, bytes: Buffer.from(prepared.bytes.buffer, prepared.bytes.byteOffset, prepared.bytes.byteLength) }
}
