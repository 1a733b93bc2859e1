// The app's context adapters over hand-written fakes of desktopCapturer, screen, the window, the
// clipboard, systemPreferences and dialog: which display is taken, the app's own window left out, the
// private windows placed on the picture, BGRA turned to RGBA, and the macOS permission explained first.
import { describe, expect, it } from 'vitest'
import {
  createElectronScreenCapture,
  createElectronTextSelection,
  createScreenPermission,
  rgbaOf,
  type OwnWindowPort
} from '../../../src/main/electron/screen-capture'

/** A NativeImage of one BGRA colour. */
function image(width: number, height: number, bgra = [0x10, 0x20, 0x30, 0xff]) {
  const bytes = Buffer.alloc(width * height * 4)
  for (let i = 0; i < bytes.length; i += 4) bytes.set(bgra, i)
  return { getSize: () => ({ width, height }), toBitmap: () => bytes, isEmpty: () => width === 0 }
}

const DISPLAYS = [
  { id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 }, size: { width: 1280, height: 800 }, scaleFactor: 2 },
  { id: 2, bounds: { x: 1280, y: 0, width: 1920, height: 1080 }, size: { width: 1920, height: 1080 }, scaleFactor: 1 }
]

function setup(platform: NodeJS.Platform, cursor = { x: 100, y: 100 }) {
  const asked: unknown[] = []
  const protection: boolean[] = []
  const own: OwnWindowPort = {
    isVisible: () => true,
    getBounds: () => ({ x: 100, y: 50, width: 400, height: 600 }),
    getMediaSourceId: () => 'window:42:0',
    setContentProtection: (on) => void protection.push(on)
  }
  const capture = createElectronScreenCapture({
    platform,
    desktopCapturer: {
      getSources: async (o) => {
        asked.push(o)
        if (o.types.includes('window'))
          return [
            { id: 'window:42:0', name: 'MiMo Voice', display_id: '', thumbnail: image(400, 600) },
            { id: 'window:7:0', name: 'Report.pdf', display_id: '', thumbnail: image(800, 500) }
          ] as never
        return DISPLAYS.map((d) => ({ id: `screen:${d.id}:0`, name: 'Screen', display_id: String(d.id), thumbnail: image(d.size.width * d.scaleFactor, d.size.height * d.scaleFactor) })) as never
      }
    },
    screen: {
      getCursorScreenPoint: () => cursor,
      getDisplayNearestPoint: (p) => (p.x >= 1280 ? DISPLAYS[1] : DISPLAYS[0]) as never
    },
    ownWindow: () => own,
    privateWindows: async (titles) => (titles.length ? [{ title: 'KeePassXC', x: 200, y: 100, width: 300, height: 200 }] : [])
  })
  return { capture, asked, protection }
}

describe('screen capture through desktopCapturer', () => {
  it('takes the display under the pointer at its full pixel size, as RGBA', async () => {
    const { capture, asked } = setup('linux', { x: 1500, y: 300 })
    const shot = await capture.screen({ privateTitles: [] })
    expect(asked[0]).toMatchObject({ types: ['screen'], thumbnailSize: { width: 1920, height: 1080 } })
    expect(shot.image.kind === 'raw' && [shot.image.raw.width, shot.image.raw.height, [...shot.image.raw.data.subarray(0, 4)]]).toEqual([
      1920,
      1080,
      [0x30, 0x20, 0x10, 0xff]
    ])
  })

  it('on Linux paints the app window out (in the picture’s pixels) and places private windows, on a 2× display', async () => {
    const { capture, protection } = setup('linux')
    const shot = await capture.screen({ privateTitles: ['keepass'] })
    expect(protection).toEqual([])
    expect(shot.ownWindow).toEqual([{ x: 200, y: 100, width: 800, height: 1200 }])
    // X11 lists windows in device pixels: already the picture's.
    expect(shot.windows).toEqual([{ title: 'KeePassXC', x: 200, y: 100, width: 300, height: 200 }])
  })

  it('on macOS protects the app window for the moment of the capture instead, and scales points to pixels', async () => {
    const { capture, protection } = setup('darwin')
    const shot = await capture.screen({ privateTitles: ['keepass'] })
    expect(protection).toEqual([true, false])
    expect(shot.ownWindow).toEqual([])
    expect(shot.windows).toEqual([{ title: 'KeePassXC', x: 400, y: 200, width: 600, height: 400 }])
  })

  it('a window capture takes the frontmost window that is not the app’s own', async () => {
    const { capture } = setup('win32')
    const shot = await capture.window('focused', { privateTitles: [] })
    expect(shot.title).toBe('Report.pdf')
    expect(shot.image.kind === 'raw' && shot.image.raw.width).toBe(800)
  })

  it('on Wayland, no picture from the portal is explained', async () => {
    const capture = createElectronScreenCapture({
      platform: 'linux',
      wayland: true,
      desktopCapturer: { getSources: async () => [] },
      screen: { getCursorScreenPoint: () => ({ x: 0, y: 0 }), getDisplayNearestPoint: () => DISPLAYS[0] as never },
      ownWindow: () => null,
      privateWindows: async () => []
    })
    await expect(capture.screen({ privateTitles: [] })).rejects.toMatchObject({ code: 'capture-unavailable', hint: expect.stringMatching(/xdg-desktop-portal/) })
  })

  it('rgbaOf swaps blue and red and makes every pixel opaque', () => {
    const raw = rgbaOf(image(2, 1, [1, 2, 3, 0]))
    expect([...raw.data]).toEqual([3, 2, 1, 255, 3, 2, 1, 255])
  })
})

describe('selection and clipboard through Electron’s clipboard', () => {
  it('reads the PRIMARY selection where there is one (Linux), the clipboard elsewhere', async () => {
    const clipboard = { readText: async () => 'copied', selection: { readText: async () => 'selected' } }
    expect(await createElectronTextSelection(clipboard).selection()).toBe('selected')
    expect(await createElectronTextSelection(clipboard).clipboard()).toBe('copied')
    expect(await createElectronTextSelection({ readText: async () => 'copied' }).selection()).toBe('copied')
  })
})

describe('macOS screen-recording permission', () => {
  function permission(statuses: string[], response = 0) {
    const dialogs: unknown[] = []
    let triggered = 0
    const p = createScreenPermission({
      platform: 'darwin',
      systemPreferences: { getMediaAccessStatus: () => (statuses.length > 1 ? statuses.shift()! : statuses[0]) as never },
      dialog: { showMessageBox: async (o: unknown) => (dialogs.push(o), { response, checkboxChecked: false }) } as never,
      trigger: async () => void triggered++
    })
    return { p, dialogs, triggered: () => triggered }
  }

  it('explains first, then lets macOS ask; granted means go', async () => {
    const t = permission(['not-determined', 'granted'])
    expect(await t.p.ensure()).toBe(true)
    expect(t.dialogs).toHaveLength(1)
    expect(JSON.stringify(t.dialogs[0])).toContain('only when you ask')
    expect(t.triggered()).toBe(1)
  })

  it('"Not now" asks nothing more; a denial is reported (the caller says how to allow it)', async () => {
    const notNow = permission(['not-determined'], 1)
    expect(await notNow.p.ensure()).toBe(false)
    expect(notNow.triggered()).toBe(0)
    const denied = permission(['denied'])
    expect(await denied.p.ensure()).toBe(false)
    expect(denied.dialogs).toHaveLength(0)
  })

  it('asks nothing on other platforms', async () => {
    const p = createScreenPermission({
      platform: 'linux',
      systemPreferences: { getMediaAccessStatus: () => 'denied' },
      dialog: { showMessageBox: async () => ({ response: 1, checkboxChecked: false }) } as never,
      trigger: async () => {}
    })
    expect(await p.ensure()).toBe(true)
  })
})
