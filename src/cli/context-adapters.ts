/** The command's context: the screen, windows and selections of the desktop it runs on, and image files. */
import { basename } from 'node:path'
import type { ContextRequest } from '../shared/context'
import { ContextService } from '../core/context/context-service'
import { captureUnavailableReason, createNodeScreenCapture } from '../core/context/node-screen-capture'
import { createNodeTextSelection } from '../core/context/node-text-selection'
import type { Settings } from '../shared/settings'
import type { CliOptions } from './args'
import { readInputFile } from './cli-context'

export function createCliContext(settings: Settings, env: NodeJS.ProcessEnv): ContextService {
  const unavailable = captureUnavailableReason(env)
  return new ContextService({
    capture: unavailable ? undefined : createNodeScreenCapture({ env }),
    captureUnavailable: unavailable,
    text: createNodeTextSelection({ env }),
    settings: () => settings
  })
}

/** What the flags ask to capture when the question is asked. */
export function contextRequestOf(options: CliOptions): ContextRequest {
  return {
    ...(options.screen ? { screen: true } : {}),
    ...(options.window ? { window: 'pointer' as const } : {}),
    ...(options.selection ? { selection: true } : {}),
    ...(options.clipboard ? { clipboard: true } : {})
  }
}

/** Reads and prepares the --image files (refused before anything is sent when one is not a usable image). */
export async function attachImageFiles(context: ContextService, files: string[]): Promise<void> {
  for (const file of files) await context.addImage(await readInputFile(file, 'The image'), basename(file))
}
