/** Hand-written context ports: a "screen" of known pixels (with windows on it), and a fixed selection. */
import type { Capture, ScreenCapture, TextSelection } from '../../../src/core/ports'
import type { RawImage, Rect } from '../../../src/core/context/image-prep'

/** A packed RGBA image of one colour, with rectangles of other colours painted on it. */
export function paint(width: number, height: number, colour: [number, number, number], boxes: Array<Rect & { colour: [number, number, number] }> = []): RawImage {
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set([...colour, 255], i * 4)
  for (const b of boxes)
    for (let y = b.y; y < b.y + b.height; y++) for (let x = b.x; x < b.x + b.width; x++) data.set([...b.colour, 255], (y * width + x) * 4)
  return { width, height, channels: 4, data }
}

export class FakeScreen implements ScreenCapture {
  calls: string[] = []
  constructor(
    public shot: Capture,
    public windowShot: Capture = shot
  ) {}
  async screen({ privateTitles }: { privateTitles: string[] }): Promise<Capture> {
    this.calls.push(`screen ${privateTitles.join(',')}`)
    return this.shot
  }
  async window(target: string): Promise<Capture> {
    this.calls.push(`window ${target}`)
    return this.windowShot
  }
}

export class FakeSelection implements TextSelection {
  constructor(
    public selected = '',
    public copied = ''
  ) {}
  selection = async (): Promise<string> => this.selected
  clipboard = async (): Promise<string> => this.copied
}
