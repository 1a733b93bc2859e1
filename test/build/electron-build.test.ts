// What `electron-vite build` produced (scripts/test-all.sh builds first; without out/ this test builds).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const out = join(root, 'out')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]
  )
}

/** Module names passed to require("..."), and import specifiers, in a bundle. */
function requiredModules(code: string): string[] {
  return [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
}

beforeAll(() => {
  const built = ['main/index.js', 'preload/index.js', 'renderer/index.html'].every((f) => existsSync(join(out, f)))
  if (!built) {
    console.log('out/ is missing or incomplete: running electron-vite build')
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }
    })
  }
}, 180_000)

describe('electron-vite build output', () => {
  it('the preload is one self-contained CommonJS file that requires nothing but electron', () => {
    const files = filesUnder(join(out, 'preload'))
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['preload/index.js'])
    const code = readFileSync(files[0], 'utf8')
    expect(new Set(requiredModules(code))).toEqual(new Set(['electron']))
    expect(code).not.toMatch(/^\s*import\s|\bimport\(\s*["'`]|["'`]node:/m)
    // Built from the contract: every channel name is in it, ipcRenderer is not handed to the page.
    expect(code).toContain('exposeInMainWorld')
    expect(code).toContain('assistant:snapshot')
    expect(code).toMatch(/exposeInMainWorld\(\s*["']api["']\s*,\s*buildApi\(/)
    expect(code).not.toMatch(/exposeInMainWorld\(\s*["'][^"']+["']\s*,\s*(?:\w+\.)?ipcRenderer\s*\)/)
  })

  it('the renderer bundle has no require, no process, no node: imports', () => {
    const scripts = filesUnder(join(out, 'renderer')).filter((f) => f.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    for (const f of scripts) {
      const code = readFileSync(f, 'utf8')
      expect(requiredModules(code), f).toEqual([])
      expect(code, f).not.toMatch(/\brequire\s*\(/)
      expect(code, f).not.toMatch(/\bprocess\s*\.\s*(env|versions|platform|argv|cwd|exit)\b/)
      expect(code, f).not.toMatch(/["'`]node:[a-z_/]+["'`]/)
      expect(code, f).not.toMatch(/["'`]electron["'`]/)
    }
  })

  it('the page carries a strict Content Security Policy meta tag', () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8')
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1]
    expect(csp, 'index.html has no CSP meta tag').toBeTruthy()
    const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))
    const scripts = directives.get('script-src') ?? directives.get('default-src')
    expect(scripts).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-eval|https?:\/\/|\s\*/)
    // Scripts and style sheets come from our own files.
    const assets = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*rel="stylesheet"[^>]*\bhref="([^"]+)"/g)]
    expect(assets.length).toBeGreaterThan(0)
    for (const m of assets) expect(m[1] ?? m[2]).toMatch(/^\.\/assets\//)
  })

  it('the main bundle loads only Node built-ins, electron and declared dependencies', () => {
    const code = readFileSync(join(out, 'main/index.js'), 'utf8')
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
    const deps = new Set(Object.keys(pkg.dependencies))
    const external = requiredModules(code).filter((m) => !m.startsWith('.') && !m.includes('/dist/runtime/') && !m.startsWith('ajv'))
    for (const m of external) {
      const name = m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]
      expect(builtins.has(m) || name === 'electron' || deps.has(name), `main requires "${m}"`).toBe(true)
    }
    expect(external).toContain('electron')
    // The ESM-only settings store is bundled, the native key hook is not.
    expect(external).not.toContain('electron-store')
    expect(code).toContain('uiohook-napi')
  })

  it('the files the main process reads at run time ship in resources/', () => {
    for (const f of ['key-hook-host.cjs', 'icon.png', ...['idle', 'recording', 'thinking', 'speaking', 'error'].map((s) => `tray-${s}-16.png`)]) {
      expect(existsSync(join(root, 'resources', f)), f).toBe(true)
    }
  })
})
