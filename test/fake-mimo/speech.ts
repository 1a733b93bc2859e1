// Real speech for the fake's TTS: espeak-ng piped through sox to PCM16 LE mono 24 kHz, the format
// MiMo streams. Without espeak-ng (or sox) a shaped tone of similar length stands in. Results are
// cached in memory by voice and text, so repeated sentences cost nothing.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'

export const SAMPLE_RATE = 24000

export interface SpeechVoice {
  /** Distinguishes voices: built-in id, clone sample hash, or design description. */
  key: string
}

let toolsAvailable: Promise<boolean> | undefined

function runs(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore' })
    child.on('error', () => resolve(false))
    child.on('close', (code) => resolve(code === 0))
  })
}

/** Whether espeak-ng and sox are both installed. */
export function speechToolsAvailable(): Promise<boolean> {
  toolsAvailable ??= Promise.all([runs('espeak-ng', ['--version']), runs('sox', ['--version'])]).then(([a, b]) => a && b)
  return toolsAvailable
}

function voiceParams(key: string, text: string): { language: string; pitch: number; speed: number } {
  const h = createHash('sha1').update(key).digest()
  const cjk = /[\u3400-\u9fff]/u.test(text)
  return { language: cjk ? 'cmn' : 'en', pitch: 30 + (h[0] % 41), speed: 160 + (h[1] % 31) }
}

/** Style tags such as "(whispering)" or "(开心)" direct the voice; they are not read out. */
export function stripStyleTags(text: string): string {
  return text.replace(/[(（][^()（）]{1,20}[)）]/gu, ' ').replace(/\s+/g, ' ').trim()
}

function espeak(text: string, voice: SpeechVoice): Promise<Buffer> {
  const p = voiceParams(voice.key, text)
  return new Promise((resolve, reject) => {
    const tts = spawn('espeak-ng', ['--stdout', '-v', p.language, '-p', String(p.pitch), '-s', String(p.speed)], {
      stdio: ['pipe', 'pipe', 'ignore']
    })
    const sox = spawn('sox', ['-q', '-t', 'wav', '-', '-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed', '-b', '16', '-c', '1', '-L', '-'], {
      stdio: ['pipe', 'pipe', 'ignore']
    })
    const out: Buffer[] = []
    let failed = false
    const fail = (err: Error): void => {
      if (failed) return
      failed = true
      tts.kill()
      sox.kill()
      reject(err)
    }
    tts.on('error', fail)
    sox.on('error', fail)
    tts.stdin.on('error', () => {})
    sox.stdin.on('error', () => {})
    tts.stdout.pipe(sox.stdin)
    sox.stdout.on('data', (d: Buffer) => out.push(d))
    sox.on('close', (code) => {
      if (failed) return
      const pcm = Buffer.concat(out)
      if (code !== 0 || pcm.length === 0) fail(new Error(`sox exited ${code} with ${pcm.length} bytes`))
      else resolve(pcm.length % 2 ? pcm.subarray(0, pcm.length - 1) : pcm)
    })
    tts.stdin.end(text)
  })
}

/** A voiced-sounding tone, one "syllable" per 180 ms, about as long as the text would take to say. */
export function toneFor(text: string, voice: SpeechVoice): Buffer {
  const p = voiceParams(voice.key, text)
  const words = Math.max(1, text.split(/\s+/).filter(Boolean).length + (text.match(/[\u3400-\u9fff]/gu)?.length ?? 0) / 2)
  const seconds = Math.max(0.5, words * 0.33)
  const frames = Math.round(seconds * SAMPLE_RATE)
  const pcm = Buffer.alloc(frames * 2)
  const f0 = 90 + p.pitch * 2
  for (let i = 0; i < frames; i++) {
    const t = i / SAMPLE_RATE
    const syllable = Math.sin(Math.PI * ((t % 0.18) / 0.18)) ** 2
    const v = (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t) + 0.25 * Math.sin(6 * Math.PI * f0 * t)) / 1.75
    pcm.writeInt16LE(Math.round(v * syllable * 12000), i * 2)
  }
  return pcm
}

const cache = new Map<string, Promise<Buffer>>()
const CACHE_LIMIT = 256

/** PCM16 LE mono 24 kHz speech for the text, in the voice. */
export function synthesize(text: string, voice: SpeechVoice): Promise<Buffer> {
  const spoken = stripStyleTags(text) || text
  const key = `${voice.key}\u0000${spoken}`
  let result = cache.get(key)
  if (!result) {
    result = speechToolsAvailable().then((ok) =>
      ok ? espeak(spoken, voice).catch(() => toneFor(spoken, voice)) : toneFor(spoken, voice)
    )
    cache.set(key, result)
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  }
  return result
}

/** A RIFF/WAVE file around PCM16 mono samples. */
export function wavFile(pcm: Buffer, sampleRate = SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(36 + pcm.length, 4)
  header.write('WAVE', 8, 'latin1')
  header.write('fmt ', 12, 'latin1')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(sampleRate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'latin1')
  header.writeUInt32LE(pcm.length, 40)
  return Buffer.concat([header, pcm])
}

/** MP3 through sox (libsox-fmt-mp3); null when sox cannot write mp3 here. */
export function mp3File(pcm: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sox = spawn('sox', ['-q', '-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed', '-b', '16', '-c', '1', '-L', '-', '-t', 'mp3', '-'], {
      stdio: ['pipe', 'pipe', 'ignore']
    })
    const out: Buffer[] = []
    sox.on('error', () => resolve(null))
    sox.stdin.on('error', () => {})
    sox.stdout.on('data', (d: Buffer) => out.push(d))
    sox.on('close', (code) => resolve(code === 0 && out.length ? Buffer.concat(out) : null))
    sox.stdin.end(pcm)
  })
}
