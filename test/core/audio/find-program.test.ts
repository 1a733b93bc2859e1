import { chmod, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findProgramOnPath } from '../../../src/core/audio/find-program'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mimo-find-program-'))
  await mkdir(path.join(dir, 'a'))
  await mkdir(path.join(dir, 'b'))
  await mkdir(path.join(dir, 'b', 'sox.d'))
  await writeFile(path.join(dir, 'a', 'sox'), '') // not executable
  await writeFile(path.join(dir, 'b', 'sox'), '#!/bin/sh\n')
  await chmod(path.join(dir, 'b', 'sox'), 0o755)
  await writeFile(path.join(dir, 'b', 'SOX.EXE'), '')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('findProgramOnPath', () => {
  it('finds the first executable on the PATH, skipping files that are not', async () => {
    const find = findProgramOnPath({ PATH: [path.join(dir, 'a'), path.join(dir, 'b')].join(':') }, 'linux')
    expect(await find('sox')).toBe(path.join(dir, 'b', 'sox'))
    expect(await find('sox.d')).toBeNull() // a directory is not a program
    expect(await find('arecord')).toBeNull()
    expect(await findProgramOnPath({ PATH: '' }, 'linux')('sox')).toBeNull()
    expect(await find(path.join(dir, 'b', 'sox'))).toBe(path.join(dir, 'b', 'sox'))
  })

  it('on Windows tries the PATHEXT extensions', async () => {
    const find = findProgramOnPath({ Path: path.join(dir, 'b'), PATHEXT: '.COM;.EXE' }, 'win32')
    // A case-sensitive file system only has SOX.EXE, so .exe is not found there; sox itself (no extension) is.
    expect(await find('sox')).toBe(path.join(dir, 'b', 'sox'))
    expect(await find('nothing')).toBeNull()
  })
})
