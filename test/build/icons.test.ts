import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { iconFiles, renderIcon, TRAY_STATES } from '../../scripts/make-icons'

const resources = resolve(__dirname, '../../resources')

/** Width, height and RGBA pixels of an 8-bit RGBA PNG without interlacing (what make-icons writes). */
function decodePng(bytes: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let offset = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('ascii', offset + 4, offset + 8)
    const data = bytes.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0])
    }
    if (type === 'IDAT') idat.push(data)
    offset += 12 + length
  }
  const rows = inflateSync(Buffer.concat(idat))
  const rgba = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(rows[y * (width * 4 + 1)]).toBe(0)
    rows.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))
  }
  return { width, height, rgba }
}

describe('tray and app icons', () => {
  it('the committed PNGs are what scripts/make-icons.ts draws (run it after changing a design)', () => {
    for (const [name, bytes] of iconFiles()) {
      expect(readFileSync(join(resources, name)).equals(bytes), `resources/${name} is stale`).toBe(true)
    }
  })

  it('each state has its own look at 16 and 32 px, with the @2x twice the size', () => {
    for (const base of [16, 32]) {
      const seen = new Set<string>()
      for (const state of TRAY_STATES) {
        const one = decodePng(readFileSync(join(resources, `tray-${state}-${base}.png`)))
        const two = decodePng(readFileSync(join(resources, `tray-${state}-${base}@2x.png`)))
        expect([one.width, one.height, two.width, two.height]).toEqual([base, base, base * 2, base * 2])
        expect(one.rgba.equals(renderIcon(state, base))).toBe(true)
        // Transparent corners, opaque centre.
        expect(one.rgba[3]).toBe(0)
        expect(one.rgba[((base / 2) * base + base / 2) * 4 + 3]).toBe(255)
        seen.add(one.rgba.toString('base64'))
      }
      expect(seen.size).toBe(TRAY_STATES.length)
    }
  })
})
