// The conversation database at 100,000 kept turns (20,000 conversations of five turns, half in English,
// half in Chinese, answers of a few sentences, spread over a year), on a real file in a temporary folder:
//   - insert: one turn kept (its own transaction, with its full-text entry), as the app does after a turn;
//   - search: what the History view asks as the user types (English words and prefixes, Chinese words
//     of one to four characters inside sentences, two-word queries), 50 results;
//   - first page: the 50 newest conversations with their titles and turn counts, as JSON (what the
//     window gets); with --browser also the History view's first page shown in Chromium, from the
//     click on its tab to the first conversation on screen.
// Also measured, for the record: a Chinese word of two characters found with LIKE (what a trigram
// index would have to fall back to, since trigrams need three characters).
// Prints a markdown table. Targets: search p95 <= 20 ms, insert p95 <= 5 ms, first page <= 100 ms.
//
//   npm run bench:history [-- --turns 100000 --browser]

import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'libsql'
import type { NewTurn } from '../src/core/conversations/conversation-store'
import { HistoryDatabase, HISTORY_FILE_NAME } from '../src/core/conversations/history-database'

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '100000' }, browser: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } }
})
const TURNS = Math.max(1000, Number(values.turns))
const PER_CONVERSATION = 5
const DAY = 86_400_000

// A seeded generator: every run builds the same corpus.
let seed = 0x2f6b1d3
function random(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return ((seed >>> 0) % 1_000_000) / 1_000_000
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]

const EN = (
  'weather rain sunny cloudy wind umbrella temperature tomorrow today morning evening night week weekend city beijing shanghai ' +
  'train flight ticket hotel museum park river mountain coffee tea breakfast lunch dinner recipe egg rice noodles soup chicken ' +
  'vegetable fruit apple orange banana market price money bank account card phone battery screen laptop keyboard mouse printer ' +
  'email message meeting calendar schedule reminder alarm timer minute hour second music song playlist podcast movie book story ' +
  'history science physics chemistry biology planet star moon sun ocean island forest animal cat dog bird fish horse garden flower ' +
  'tree seed water fire energy electric car bicycle road traffic bus subway station airport language english chinese translate ' +
  'word sentence grammar spelling number math sum average percent kilometre metre degree celsius health sleep exercise running ' +
  'walking doctor medicine cold fever headache vitamin protein sugar salt dream idea plan project deadline report budget team ' +
  'friend family birthday gift party holiday travel passport visa camera photo picture video internet website password privacy'
).split(' ')
const EN_GLUE = 'the a is are what how when where why should could will can my your for with about in on at to of and or but'.split(' ')
const ZH = (
  '天气 下雨 晴天 多云 刮风 雨伞 温度 明天 今天 早上 晚上 周末 城市 北京 上海 火车 航班 机票 酒店 博物馆 公园 河流 山区 咖啡 ' +
  '早餐 午餐 晚餐 菜谱 鸡蛋 米饭 面条 汤 鸡肉 蔬菜 水果 苹果 香蕉 市场 价格 银行 手机 电池 屏幕 电脑 键盘 打印机 邮件 会议 ' +
  '日程 提醒 闹钟 音乐 歌曲 电影 小说 历史 科学 物理 化学 生物 星球 月亮 太阳 海洋 森林 动物 小猫 小狗 鲜花 能源 汽车 ' +
  '自行车 交通 公交 地铁 机场 语言 英语 中文 翻译 句子 语法 数学 平均 公里 健康 睡眠 运动 跑步 医生 感冒 发烧 头疼 维生素 ' +
  '计划 项目 报告 预算 朋友 家人 生日 礼物 聚会 假期 旅行 护照 签证 相机 照片 视频 网站 密码 隐私 小米 模型 语音 助手'
).split(' ')
const ZH_GLUE = '的 了 是 在 我 你 吗 呢 怎么 什么 应该 可以 需要 一下 一个 还是 和 也 就 都 很'.split(' ')

function english(words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(random() < 0.45 ? pick(EN_GLUE) : pick(EN))
  const s = out.join(' ')
  return `${s[0].toUpperCase()}${s.slice(1)}.`
}

function chinese(words: number): string {
  let s = ''
  for (let i = 0; i < words; i++) s += random() < 0.4 ? pick(ZH_GLUE) : pick(ZH)
  return `${s}。`
}

function turnAt(startedAt: number, zh: boolean): NewTurn {
  const question = zh ? chinese(6 + Math.floor(random() * 8)).replace(/。$/, '？') : english(7 + Math.floor(random() * 8)).replace(/\.$/, '?')
  const sentences = 2 + Math.floor(random() * 3)
  const reply = Array.from({ length: sentences }, () => (zh ? chinese(10 + Math.floor(random() * 12)) : english(12 + Math.floor(random() * 14)))).join(' ')
  return {
    turnKey: `bench-${startedAt}`,
    startedAt,
    input: random() < 0.7 ? 'voice' : 'text',
    question,
    fileName: null,
    reply,
    spoken: reply,
    status: 'done',
    voice: 'mimo_default',
    model: 'mimo-v2.5',
    timings: { release: 0, requestSent: 4, firstToken: 310, firstSentence: 420, firstTtsRequest: 421, firstAudio: 640, done: 5200 },
    usage: { promptTokens: 180, completionTokens: 60, totalTokens: 240 },
    sources: [],
    searchError: null,
    toolCalls: [],
    error: null
  }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const ms = (n: number): string => n.toFixed(2)

function time(fn: () => unknown): number {
  const t0 = performance.now()
  fn()
  return performance.now() - t0
}

const dir = mkdtempSync(join(tmpdir(), 'mimo-bench-history-'))
const db = new HistoryDatabase({ dir })
const rows: Array<[string, string, string, string, string]> = []

async function run(): Promise<void> {
  try {
    // ---------------------------------------------------------------- fill
    const now = Date.now()
    const span = 365 * DAY
    const conversations = TURNS / PER_CONVERSATION
    const fillStart = performance.now()
    const fillTimes: number[] = []
    for (let c = 0; c < conversations; c++) {
      const zh = c % 2 === 1
      const at = now - span + Math.floor((c / conversations) * span)
      db.use((s) => {
        const id = s.createConversation(at)
        for (let i = 0; i < PER_CONVERSATION; i++) {
          const turn = turnAt(at + i * 30_000, zh)
          fillTimes.push(time(() => s.addTurn(id, turn)))
        }
      })
      if ((c + 1) % 4000 === 0) process.stderr.write(`  ${(c + 1) * PER_CONVERSATION} turns kept…\n`)
    }
    const fillSec = (performance.now() - fillStart) / 1000
    process.stderr.write(`filled ${TURNS} turns in ${fillSec.toFixed(1)} s\n`)

    // ---------------------------------------------------------------- insert, at full size
    const inserts: number[] = []
    db.use((s) => {
      for (let c = 0; c < 200; c++) {
        const id = s.createConversation(now + c * 1000)
        for (let i = 0; i < PER_CONVERSATION; i++) {
          const turn = turnAt(now + c * 1000 + i, c % 2 === 1)
          inserts.push(time(() => s.addTurn(id, turn)))
        }
      }
    })
    rows.push(['insert a turn (its own transaction, with its index entry)', `${inserts.length}`, ms(percentile(inserts, 50)), ms(percentile(inserts, 95)), '≤ 5'])
    rows.push([`(while filling to ${TURNS.toLocaleString('en')})`, `${fillTimes.length}`, ms(percentile(fillTimes, 50)), ms(percentile(fillTimes, 95)), '≤ 5'])

    // ---------------------------------------------------------------- search
    const queries: Array<{ kind: string; text: string }> = []
    for (let i = 0; i < 40; i++) queries.push({ kind: 'English word', text: pick(EN) })
    for (let i = 0; i < 40; i++) {
      const w = pick(EN)
      queries.push({ kind: 'English prefix (typing)', text: w.slice(0, Math.max(2, Math.ceil(w.length / 2))) })
    }
    for (let i = 0; i < 40; i++) queries.push({ kind: 'two English words', text: `${pick(EN)} ${pick(EN)}` })
    for (let i = 0; i < 40; i++) queries.push({ kind: 'Chinese word, 2 characters', text: pick(ZH.filter((w) => w.length === 2)) })
    for (let i = 0; i < 20; i++) queries.push({ kind: 'Chinese, 1 character', text: pick(ZH.filter((w) => w.length === 2))[1] })
    for (let i = 0; i < 20; i++) queries.push({ kind: 'Chinese, 3-4 characters', text: pick(ZH) + pick(ZH_GLUE) })
    const byKind = new Map<string, number[]>()
    const all: number[] = []
    let hits = 0
    for (const round of [0, 1]) {
      for (const q of queries) {
        let found = 0
        const t = time(() => (found = db.use((s) => s.search(q.text, 50)).length))
        if (round === 0) continue // the first round warms the page cache, as a running app has it
        hits += found
        all.push(t)
        byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), t])
      }
    }
    rows.push(['search, every kind of query (50 results)', `${all.length}`, ms(percentile(all, 50)), ms(percentile(all, 95)), '≤ 20'])
    for (const [kind, samples] of byKind) rows.push([`  ${kind}`, `${samples.length}`, ms(percentile(samples, 50)), ms(percentile(samples, 95)), '≤ 20'])

    // ---------------------------------------------------------------- the alternative not taken
    const raw = new Database(join(dir, HISTORY_FILE_NAME))
    const like = raw.prepare('SELECT id FROM turns WHERE question LIKE ? OR reply LIKE ? ORDER BY id DESC LIMIT 50')
    const likeTimes: number[] = []
    for (const q of queries.filter((x) => x.kind === 'Chinese word, 2 characters').slice(0, 20)) {
      likeTimes.push(time(() => like.all(`%${q.text}%`, `%${q.text}%`)))
    }
    const rare = '护照签证'
    const likeRare = time(() => like.all(`%${rare}%`, `%${rare}%`))
    raw.close()
    rows.push(['(not taken) 2-character Chinese word by LIKE, common words', `${likeTimes.length}`, ms(percentile(likeTimes, 50)), ms(percentile(likeTimes, 95)), '—'])
    rows.push(['(not taken) a phrase found nowhere, by LIKE (whole-table scan)', '1', ms(likeRare), ms(likeRare), '—'])

    // ---------------------------------------------------------------- first page
    const pages: number[] = []
    for (let i = 0; i < 60; i++) {
      const t = time(() => JSON.stringify(db.use((s) => s.list({ limit: 50 }))))
      if (i >= 10) pages.push(t)
    }
    rows.push(['History view: first page of 50 conversations, as JSON', `${pages.length}`, ms(percentile(pages, 50)), ms(percentile(pages, 95)), '≤ 100'])
    const older = db.use((s) => s.list({ limit: 50 })).next
    const pageTwo: number[] = []
    for (let i = 0; i < 30; i++) pageTwo.push(time(() => db.use((s) => s.list({ limit: 50, before: older }))))
    rows.push(['  next page', `${pageTwo.length}`, ms(percentile(pageTwo, 50)), ms(percentile(pageTwo, 95)), '≤ 100'])
    const open: number[] = []
    const ids = db.use((s) => s.list({ limit: 50 })).conversations.map((c) => c.id)
    for (const id of ids) open.push(time(() => db.use((s) => s.get(id))))
    rows.push(['  open a conversation', `${open.length}`, ms(percentile(open, 50)), ms(percentile(open, 95)), '—'])

    const { size } = statSync(join(dir, HISTORY_FILE_NAME))
    if (values.browser) rows.push(...(await browserFirstPage(dir)))

    console.log(`\n${TURNS.toLocaleString('en')} turns in ${conversations.toLocaleString('en')} conversations; file ${(size / 1024 / 1024).toFixed(0)} MB; ${hits} search results read\n`)
    console.log('| what | runs | p50 ms | p95 ms | target ms |')
    console.log('| --- | ---: | ---: | ---: | ---: |')
    for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  } finally {
    db.close()
    if (!values.keep) rmSync(dir, { recursive: true, force: true })
    else process.stderr.write(`kept ${dir}\n`)
  }
}

run().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})

/** The History view in Chromium over this database: the click on its tab to the first conversation on screen (the next frame). */
async function browserFirstPage(historyParent: string): Promise<Array<[string, string, string, string, string]>> {
  const { startE2eHost } = await import('../test/e2e/host')
  const { launchChromium, openApp } = await import('../test/e2e/browser')
  // The host keeps its data in a folder whose history/ is this database.
  const { renameSync, mkdirSync } = await import('node:fs')
  const dataDir = mkdtempSync(join(tmpdir(), 'mimo-bench-history-host-'))
  db.close()
  mkdirSync(join(dataDir, 'history'), { recursive: true })
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(join(historyParent, HISTORY_FILE_NAME + suffix), join(dataDir, 'history', HISTORY_FILE_NAME + suffix))
    } catch {
      // no WAL left after the close
    }
  }
  const host = await startE2eHost({ dataDir, settings: { firstRunDone: true }, apiKey: 'bench-key-0000' })
  const browser = await launchChromium()
  const samples: number[] = []
  const firsts: number[] = []
  try {
    // Three fresh windows; in each, the History tab is opened ten times (from Talk, as a user switches).
    for (let w = 0; w < 3; w++) {
      const { page } = await openApp(browser, host)
      // As a user would: the window is up and idle before the tab is clicked.
      await page.locator('[data-testid="assistant-phase"][data-phase="idle"]').waitFor()
      await page.waitForTimeout(500)
      for (let i = 0; i < 10; i++) {
        await page.locator('#tab-talk').click()
        await page.waitForTimeout(150)
        const elapsed = Number(
          await page.evaluate(`new Promise((resolve) => {
            const t0 = performance.now()
            const shown = () => {
              const item = document.querySelector('#panel-history .history-item')
              return item !== null && item.getClientRects().length > 0
            }
            const check = () => (shown() ? requestAnimationFrame(() => resolve(performance.now() - t0)) : requestAnimationFrame(check))
            document.querySelector('#tab-history').click()
            check()
          })`)
        )
        samples.push(elapsed)
        if (i === 0) firsts.push(elapsed)
      }
      await page.context().close()
    }
  } finally {
    await browser.close()
    await host.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return [
    ['History view shown in Chromium: tab click to first conversation drawn', `${samples.length}`, ms(percentile(samples, 50)), ms(percentile(samples, 95)), '≤ 100'],
    ['  the first time in each window', `${firsts.length}`, ms(percentile(firsts, 50)), ms(Math.max(...firsts)), '≤ 100']
  ]
}
