/**
 * Debian's Chromium driven by playwright-core, opening the test host's page with the bridge in place
 * of the preload, and the screenshots the run writes.
 */
import { copyFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { E2eHost } from './host'
import { bundleBridgeClient, ROOT } from './page-build'

export const CHROMIUM = '/usr/bin/chromium'
/** About the window's smallest comfortable size: what the screenshots show. */
export const VIEWPORT = { width: 420, height: 640 }
export const SCREENSHOT_DIR = path.join(ROOT, 'artifacts/screenshots')
export const DOCS_SCREENSHOT_DIR = path.join(ROOT, 'docs/screenshots')

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-ui-for-media-stream'
    ]
  })
}

export interface AppPage {
  page: Page
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[]
}

/** A new tab on the host's page, `window.api` bridged before any of the page's scripts run. */
export async function openApp(browser: Browser, host: E2eHost, o: { locale?: string } = {}): Promise<AppPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: o.locale ?? 'en-US', colorScheme: 'dark', deviceScaleFactor: 1 })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  await page.addInitScript({ content: await bundleBridgeClient() })
  await page.goto(host.url)
  return { page, problems }
}

/** Writes artifacts/screenshots/<name>.png; with UPDATE_SCREENSHOTS=1 also the copy kept in docs/screenshots. */
export async function screenshot(page: Page, name: string, o: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  // Let the last state's transition finish, and keep the caret out of the picture.
  await page.waitForTimeout(250)
  if (o.fullPage) {
    // The page itself never scrolls (the view inside it does): show all of it by making the window as tall.
    const height = Number(
      await page.evaluate(
        "Math.max(0, ...Array.from(document.querySelectorAll('.view')).map((e) => e.getBoundingClientRect().top + e.scrollHeight))"
      )
    )
    await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, Math.ceil(height)) })
    await page.waitForTimeout(100)
    await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' })
    await page.setViewportSize(VIEWPORT)
  } else {
    await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' })
  }
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(DOCS_SCREENSHOT_DIR, { recursive: true })
    await copyFile(file, path.join(DOCS_SCREENSHOT_DIR, `${name}.png`))
  }
  return file
}
