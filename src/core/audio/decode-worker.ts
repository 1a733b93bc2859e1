/**
 * The decode worker: runs in a worker thread (src/core/audio/decode-off-thread.ts starts it), so decoding,
 * resampling and measuring a file never hold up the process that serves the window. One job per worker.
 */
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { checkSampleInThisThread } from '../voices/sample-quality'
import type { DecodeJob, DecodeReply } from './decode-jobs'
import { prepareForUpload } from './wav'

async function run(job: DecodeJob): Promise<DecodeReply> {
  try {
    switch (job.kind) {
      case 'check-sample':
        return { ok: true, value: await checkSampleInThisThread(job.bytes, { fileName: job.fileName }) }
      case 'prepare-upload':
        return { ok: true, value: prepareForUpload(job.bytes) }
    }
  } catch (err) {
    const e = err as Error & { hint?: string }
    return { ok: false, error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(e.hint ? { hint: e.hint } : {}) } }
  }
}

/** Bytes that own their whole buffer move to the caller instead of being copied (a pooled Buffer cannot move). */
function movable(reply: DecodeReply): ArrayBuffer[] {
  if (!reply.ok) return []
  const bytes = 'bytes' in reply.value ? reply.value.bytes : reply.value.wav
  if (!bytes || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) return []
  return [bytes.buffer as ArrayBuffer]
}

// Linux keeps a nice value per thread: decoding yields the processor to the thread that serves the window.
// (Elsewhere the call would lower the whole process, so it is not made.)
if (process.platform === 'linux') {
  try {
    setPriority(10)
  } catch {
    // not allowed here: the time limit still holds
  }
}

parentPort?.once('message', (job: DecodeJob) => {
  void run(job).then((reply) => parentPort!.postMessage(reply, movable(reply)))
})
