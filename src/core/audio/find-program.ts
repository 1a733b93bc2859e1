import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'

/** Looks a program up by name; resolves to its full path, or null when it is not installed. */
export type FindProgram = (name: string) => Promise<string | null>

/**
 * A `which` over the PATH of the given environment (the one the child will run with), so a PATH
 * without sox really means "no sox". On Windows it tries each PATHEXT extension.
 */
export function findProgramOnPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FindProgram {
  const pathValue = env.PATH ?? env.Path ?? ''
  const separator = platform === 'win32' ? ';' : ':'
  const dirs = pathValue.split(separator).filter((d) => d.length > 0)
  const extensions =
    platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((e) => e.toLowerCase())] : ['']

  return async (name) => {
    if (name.includes('/') || (platform === 'win32' && name.includes('\\'))) {
      return (await isExecutable(name, platform)) ? name : null
    }
    for (const dir of dirs) {
      for (const ext of extensions) {
        const candidate = path.join(dir, name + ext)
        if (await isExecutable(candidate, platform)) return candidate
      }
    }
    return null
  }
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return false
    if (platform === 'win32') return true
    await access(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
