/** Conversations as a Markdown document (to read) or JSON (to process), the same for the window and the command. */
import type { ConversationDetail, ExportFormat, StoredTurn } from '../../shared/history'

export const EXPORT_SCHEMA = 'mimo-voice-history/1'

const UNTITLED = '(a spoken question)'

function stamp(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function quoteBlock(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')
}

function turnMarkdown(t: StoredTurn): string {
  const how = t.input === 'voice' ? 'spoken' : t.input === 'file' ? `from ${t.fileName ?? 'a file'}` : 'typed'
  const lines = [`### ${stamp(t.startedAt)} · You (${how})`, '', quoteBlock(t.question ?? UNTITLED), '']
  const about = [t.model, t.voice ? `voice ${t.voice}` : null].filter(Boolean).join(', ')
  lines.push(`**MiMo**${about ? ` (${about})` : ''}:`, '')
  if (t.reply.trim()) lines.push(t.reply.trim(), '')
  if (t.status === 'stopped') lines.push(`_Interrupted; heard: "${t.spoken.trim()}"_`, '')
  if (t.error) lines.push(`_Failed: ${t.error.message}_`, '')
  if (t.toolCalls.length) {
    lines.push(
      'Tools:',
      ...t.toolCalls.map((c) => {
        const outcome = c.status === 'done' ? (c.result ?? '').replace(/\s+/g, ' ').slice(0, 200) : `${c.status}${c.error ? `: ${c.error}` : ''}`
        return `- \`${c.server ? `${c.server}/` : ''}${c.tool}\` \`${c.arguments || '{}'}\` → ${outcome}`
      }),
      ''
    )
  }
  if (t.sources.length) {
    lines.push('Sources:', ...t.sources.map((s) => `- [${(s.title ?? s.url).replace(/[[\]]/g, '')}](${s.url})`), '')
  }
  return lines.join('\n')
}

export function toMarkdown(conversations: ConversationDetail[]): string {
  const parts = conversations.map((c) =>
    [`## ${c.title?.trim() || UNTITLED}`, '', `_${stamp(c.startedAt)} · ${c.turnCount} ${c.turnCount === 1 ? 'turn' : 'turns'}_`, '', ...c.turns.map(turnMarkdown)].join('\n')
  )
  return `# MiMo Voice conversations\n\n${parts.join('\n---\n\n')}`.trimEnd() + '\n'
}

export function toJson(conversations: ConversationDetail[], exportedAt: number): string {
  const body = {
    schema: EXPORT_SCHEMA,
    exportedAt: new Date(exportedAt).toISOString(),
    conversations: conversations.map((c) => ({
      ...c,
      startedAt: new Date(c.startedAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
      turns: c.turns.map((t) => ({ ...t, startedAt: new Date(t.startedAt).toISOString() }))
    }))
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

export function exportText(conversations: ConversationDetail[], format: ExportFormat, exportedAt: number): string {
  return format === 'md' ? toMarkdown(conversations) : toJson(conversations, exportedAt)
}
