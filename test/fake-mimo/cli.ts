// npm run fake-mimo -- --port 8787 [--latency-first-token 300] [--latency-per-token 30]
//   [--tts-first-byte 200] [--tts-rtf 0.3] [--api-key test-key ...] [--reply "..."] [--transcript "..."]
//   [--token-plan] [--fault 429 --fault-times 2 --retry-after 1] [--fault cut-mid-stream]
// Runs the fake MiMo service until Ctrl+C, printing one line per request.

import { parseArgs } from 'node:util'
import { startFakeMimo, type Fault, type FaultStatus } from './server'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'latency-first-token': { type: 'string' },
    'latency-per-token': { type: 'string' },
    'tts-first-byte': { type: 'string' },
    'tts-rtf': { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    reply: { type: 'string' },
    transcript: { type: 'string' },
    'token-plan': { type: 'boolean', default: false },
    'no-web-search': { type: 'boolean', default: false },
    fault: { type: 'string' },
    'fault-times': { type: 'string', default: '1' },
    'after-chunks': { type: 'string' },
    'retry-after': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

if (values.help) {
  console.log(`Usage: npm run fake-mimo -- [options]
  --port N                    listen on 127.0.0.1:N (default 8787; 0 = any free port)
  --latency-first-token MS    wait before the first streamed piece
  --latency-per-token MS      wait between streamed pieces
  --tts-first-byte MS         TTS: wait before the first audio
  --tts-rtf X                 TTS: synthesis time per second of audio (0 = as fast as possible)
  --api-key KEY               accepted key (repeatable; default test-key)
  --reply TEXT                the assistant's answer
  --transcript TEXT           what the fake "hears" in audio
  --token-plan                act as a token-plan host (only tp- keys)
  --no-web-search             web search answers with error_message (plugin not activated)
  --fault KIND                400|401|402|403|404|421|429|500|503|cut-mid-stream|malformed-event|reasoning-only|hang
  --fault-times N             how many requests the fault applies to (default 1)
  --after-chunks N            for cut-mid-stream, malformed-event, hang
  --retry-after S             Retry-After seconds on a status fault`)
  process.exit(0)
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v))

function faultFrom(kind: string | undefined): Fault | undefined {
  if (!kind) return undefined
  const afterChunks = num(values['after-chunks'])
  if (/^\d{3}$/.test(kind)) return { kind: 'status', status: Number(kind) as FaultStatus, retryAfterSec: num(values['retry-after']) }
  switch (kind) {
    case 'cut-mid-stream':
    case 'malformed-event':
      return { kind, afterChunks }
    case 'hang':
      return { kind, afterChunks }
    case 'reasoning-only':
      return { kind }
    default:
      console.error(`unknown fault ${kind}`)
      process.exit(2)
  }
}

const latency = {
  ...(values['latency-first-token'] !== undefined ? { firstTokenMs: Number(values['latency-first-token']) } : {}),
  ...(values['latency-per-token'] !== undefined ? { perTokenMs: Number(values['latency-per-token']) } : {}),
  ...(values['tts-first-byte'] !== undefined ? { ttsFirstByteMs: Number(values['tts-first-byte']) } : {}),
  ...(values['tts-rtf'] !== undefined ? { ttsRealtimeFactor: Number(values['tts-rtf']) } : {})
}

async function main(): Promise<void> {
  const fake = await startFakeMimo({
    port: Number(values.port),
    apiKeys: values['api-key'],
    latency,
    reply: values.reply,
    transcript: values.transcript,
    tokenPlanHost: values['token-plan'],
    webSearchUnavailable: values['no-web-search']
  })
  const fault = faultFrom(values.fault)
  if (fault) fake.injectFault(fault, Number(values['fault-times']))

  console.log(`fake MiMo listening: ${fake.url}  (key: ${(values['api-key'] ?? ['test-key']).join(', ')})`)
  console.log(`try: MIMO_BASE_URL=${fake.url} MIMO_API_KEY=${(values['api-key'] ?? ['test-key'])[0]}`)

  let logged = 0
  const timer = setInterval(() => {
    while (logged < fake.requests.length) {
      const r = fake.requests[logged]
      if (r.status === 0 && !r.clientClosed && !r.completed) break
      logged++
      console.log(`${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.status || '-'} ${r.model ?? ''}${r.stream ? ' stream' : ''}${r.fault ? ` fault=${r.fault}` : ''}${r.clientClosed ? ' client-closed' : ''}`)
    }
  }, 100)

  const stop = async (): Promise<void> => {
    clearInterval(timer)
    await fake.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
