/**
 * The window in any browser, with the real main-side services behind it (test/e2e/host.ts) and the
 * fake MiMo server in place of the service. For trying the UI by hand:
 *
 *   npx tsx scripts/e2e-host.ts [--port 5180] [--fresh] [--data-dir DIR]
 *
 *   --fresh      start as a new user (first-run page, no key stored; the fake's key is "test-key")
 *   --data-dir   keep settings, key and voices in DIR (default: a temporary folder, removed on exit)
 *
 * Audio goes through PulseAudio as set in the environment: after
 * `eval "$(bash scripts/audio-test-stack.sh start)"` that is the test stack's virtual devices,
 * otherwise the desktop's own microphone and speaker.
 */
import { startFakeMimo } from '../test/fake-mimo/server'
import { startE2eHost } from '../test/e2e/host'
import { captureUnavailableReason, createNodeScreenCapture } from '../src/core/context/node-screen-capture'
import { createNodeTextSelection } from '../src/core/context/node-text-selection'

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
  const fresh = process.argv.includes('--fresh')
  const fake = await startFakeMimo()
  const host = await startE2eHost({
    port: Number(option('--port') ?? 5180),
    dataDir: option('--data-dir'),
    settings: { baseUrl: fake.url, ...(fresh ? {} : { firstRunDone: true }) },
    apiKey: fresh ? undefined : 'test-key',
    serveBridgeScript: true,
    // The screen and selections of the display this host runs on, as the command sees them.
    context: captureUnavailableReason(process.env) ? { text: createNodeTextSelection() } : { capture: createNodeScreenCapture(), text: createNodeTextSelection() },
    log: (m) => console.log(`[host] ${m}`)
  })
  console.log(`MiMo Voice window: ${host.url}`)
  console.log(`fake MiMo server: ${fake.url} (key: test-key)`)
  console.log(`data folder: ${host.dataDir}`)
  console.log('Ctrl+C stops.')
  const stop = async (): Promise<void> => {
    await host.close()
    await fake.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})
