/**
 * Capture to request ready, for a 1920×1080 screen: an Xvfb display of its own showing a full-screen
 * xterm with a page of text, captured by the Node adapter (node-screenshots), made ready to send
 * (private windows hidden, JPEG within 4 MB, thumbnail), and put in a chat request serialised to
 * JSON, as the client sends it. Stages are timed apart, and the whole path as the context service runs it.
 *
 *   npx tsx bench/capture.ts [--runs 15]
 */
import { cpus, loadavg } from 'node:os'
import { ContextService } from '../src/core/context/context-service'
import { imageDataUri, prepareImage } from '../src/core/context/image-prep'
import { createNodeScreenCapture } from '../src/core/context/node-screen-capture'
import { answerRequest } from '../src/core/assistant/requests'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import { startXDesktop } from '../test/core/context/x-apps'

const args = process.argv.slice(2)
const i = args.indexOf('--runs')
const RUNS = i >= 0 ? Number(args[i + 1]) : 15

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

const row = (name: string, ms: number[]): string =>
  `| ${name} | ${quantile(ms, 0.5).toFixed(0)} | ${quantile(ms, 0.9).toFixed(0)} | ${Math.max(...ms).toFixed(0)} |`

async function main(): Promise<void> {
  const desk = await startXDesktop('1920x1080x24')
  process.env.DISPLAY = desk.display
  // A screen of text: what a question about an error message looks like.
  const page = Array.from({ length: 60 }, (_, n) => `${String(n).padStart(3)}  TypeError: Cannot read properties of undefined (reading 'map') at render (app.tsx:${n * 7})`).join('\n')
  await desk.xterm({ title: 'editor', bg: '#1e1e1e', text: page, x: 0, y: 0, width: 1920, height: 1080 })
  await desk.xterm({ title: 'KeePassXC', bg: '#f0f0f0', text: 'secret', x: 1200, y: 200, width: 500, height: 400 })

  const capture = createNodeScreenCapture({ env: desk.env })
  const settings = { ...DEFAULT_SETTINGS }
  const stages = { capture: [] as number[], prepare: [] as number[], request: [] as number[] }
  const whole = { plain: [] as number[], private: [] as number[] }
  // CPU time of this process (its threads included) per whole path: what the machine's load cannot inflate.
  const cpu = { plain: [] as number[], private: [] as number[] }
  let bytes = 0

  for (let run = 0; run < RUNS + 1; run++) {
    const t0 = performance.now()
    const shot = await capture.screen({ privateTitles: [] })
    const t1 = performance.now()
    const image = await prepareImage(shot.image)
    const t2 = performance.now()
    const uri = imageDataUri(image)
    const body = JSON.stringify(answerRequest(settings, [], { kind: 'text', text: 'What does this error mean?' }, { images: [{ attachment: { id: 'x', kind: 'screen', label: 'Screen', bytes: image.bytes.length }, dataUri: uri }], texts: [] }))
    const t3 = performance.now()
    if (run === 0) continue // the first run loads the libraries
    stages.capture.push(t1 - t0)
    stages.prepare.push(t2 - t1)
    stages.request.push(t3 - t2)
    bytes = Math.max(bytes, body.length)
  }

  for (const [name, titles] of [['plain', []], ['private', ['KeePassXC']]] as const) {
    const service = new ContextService({ capture, settings: () => ({ privateWindowTitles: [...titles], privateWindows: 'blur' }) })
    for (let run = 0; run < RUNS + 1; run++) {
      const t0 = performance.now()
      const c0 = process.cpuUsage()
      const gathered = await service.gather({ screen: true })
      JSON.stringify(answerRequest(settings, [], { kind: 'text', text: 'What does this error mean?' }, gathered))
      const ms = performance.now() - t0
      const used = process.cpuUsage(c0)
      if (run > 0) {
        whole[name].push(ms)
        cpu[name].push((used.user + used.system) / 1000)
      }
    }
  }
  desk.closeAll()

  console.log(`capture to request ready, 1920×1080, ${RUNS} runs (ms)\n`)
  console.log('| stage | median | p90 | max |\n| --- | --- | --- | --- |')
  console.log(row('capture (node-screenshots, RGBA)', stages.capture))
  console.log(row('prepare (JPEG + thumbnail)', stages.prepare))
  console.log(row('request (data URI + JSON)', stages.request))
  console.log(row('whole path, no private windows', whole.plain))
  console.log(row('whole path, one private window blurred (xdotool + blur)', whole.private))
  console.log(row('CPU time of the whole path, no private windows', cpu.plain))
  console.log(row('CPU time of the whole path, one private window', cpu.private))
  console.log(`\nrequest body: ${(bytes / 1024).toFixed(0)} KB; load average while measuring: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`)
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
