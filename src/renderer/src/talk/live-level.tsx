import { useEffect, useState } from 'react'
import type { LevelReading } from '../../../shared/assistant'
import { useApp } from '../app-context'
import { LevelMeter } from '../level-meter'

/** The meter subscribes by itself, so 20 level readings a second redraw only the meter. */
export function LiveLevel() {
  const { client } = useApp()
  const [level, setLevel] = useState<LevelReading | null>(null)
  useEffect(() => client.on('assistant:level', setLevel), [client])
  return <LevelMeter rmsDbfs={level?.rmsDbfs ?? null} speech={level?.speech} />
}
