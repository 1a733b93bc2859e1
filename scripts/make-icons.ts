// Draws the tray icons (one per assistant state) and the app icon, and writes them as PNG with
// nothing but node:zlib. Run: npx tsx scripts/make-icons.ts   (output: resources/)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'

export const TRAY_STATES = ['idle', 'recording', 'thinking', 'speaking', 'error', 'conversation'] as const
export type TrayState = (typeof TRAY_STATES)[number]

type Rgb = [number, number, number]
/** Coverage of a glyph at a point in unit coordinates (0..1 both ways, y down): 1 inside, 0 outside. */
type Shape = (x: number, y: number) => boolean

const STYLE: Record<TrayState, { background: Rgb; glyph: Rgb; shape: Shape }> = {
  idle: { background: [255, 105, 0], glyph: [255, 255, 255], shape: microphone },
  recording: { background: [229, 72, 77], glyph: [255, 255, 255], shape: (x, y) => microphone(x, y) },
  thinking: { background: [62, 99, 221], glyph: [255, 255, 255], shape: dots },
  speaking: { background: [48, 164, 108], glyph: [255, 255, 255], shape: bars },
  error: { background: [255, 197, 61], glyph: [33, 32, 28], shape: exclamation },
  conversation: { background: [142, 78, 198], glyph: [255, 255, 255], shape: bubbles }
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}

function microphone(x: number, y: number): boolean {
  const capsule = segmentDistance(x, y, 0.5, 0.3, 0.5, 0.47) <= 0.115
  const r = Math.hypot(x - 0.5, y - 0.47)
  const cradle = y >= 0.47 && Math.abs(r - 0.2) <= 0.035
  const stem = Math.abs(x - 0.5) <= 0.035 && y >= 0.66 && y <= 0.78
  const base = segmentDistance(x, y, 0.38, 0.78, 0.62, 0.78) <= 0.035
  return capsule || cradle || stem || base
}

function dots(x: number, y: number): boolean {
  return [0.3, 0.5, 0.7].some((cx) => Math.hypot(x - cx, y - 0.5) <= 0.075)
}

function bars(x: number, y: number): boolean {
  const heights = [0.12, 0.22, 0.16, 0.09]
  return [0.32, 0.44, 0.56, 0.68].some((cx, i) => segmentDistance(x, y, cx, 0.5 - heights[i], cx, 0.5 + heights[i]) <= 0.045)
}

/** Two speech bubbles, one answering the other: a hands-free conversation. */
function bubbles(x: number, y: number): boolean {
  const bubble = (cx: number, cy: number, tail: number) =>
    Math.hypot((x - cx) / 0.17, (y - cy) / 0.12) <= 1 || segmentDistance(x, y, cx + tail * 0.08, cy + 0.08, cx + tail * 0.16, cy + 0.17) <= 0.03
  return bubble(0.4, 0.4, -1) || bubble(0.6, 0.6, 1)
}

function exclamation(x: number, y: number): boolean {
  return segmentDistance(x, y, 0.5, 0.27, 0.5, 0.56) <= 0.06 || Math.hypot(x - 0.5, y - 0.72) <= 0.065
}

/** RGBA pixels of one icon: a disc in the state's colour with a glyph, 4x4 samples per pixel. */
export function renderIcon(state: TrayState, size: number): Buffer {
  const { background, glyph, shape } = STYLE[state]
  const px = Buffer.alloc(size * size * 4)
  const n = 4
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let disc = 0
      let mark = 0
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (i + (sx + 0.5) / n) / size
          const y = (j + (sy + 0.5) / n) / size
          if (Math.hypot(x - 0.5, y - 0.5) <= 0.48) {
            disc++
            if (shape(x, y)) mark++
          }
        }
      }
      const o = (j * size + i) * 4
      const m = disc ? mark / disc : 0
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(background[c] * (1 - m) + glyph[c] * m)
      px[o + 3] = Math.round((disc / (n * n)) * 255)
    }
  }
  return px
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An 8-bit RGBA PNG (filter 0 on every row). */
export function encodePng(rgba: Buffer, width: number, height: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** Every file this script writes, by name: tray-<state>-16/32 with @2x, and icon.png (512 px). */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const state of TRAY_STATES) {
    for (const base of [16, 32]) {
      files.set(`tray-${state}-${base}.png`, encodePng(renderIcon(state, base), base, base))
      files.set(`tray-${state}-${base}@2x.png`, encodePng(renderIcon(state, base * 2), base * 2, base * 2))
    }
  }
  files.set('icon.png', encodePng(renderIcon('idle', 512), 512, 512))
  return files
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const out = resolve(__dirname, '..', 'resources')
  mkdirSync(out, { recursive: true })
  for (const [name, bytes] of iconFiles()) writeFileSync(join(out, name), bytes)
  console.log(`wrote ${iconFiles().size} icons to ${out}`)
}
