import { useT } from './i18n'

export const METER_FLOOR_DB = -60

/** A horizontal microphone level from -60 to 0 dBFS, exposed as an ARIA meter. */
export function LevelMeter({ rmsDbfs, speech, label }: { rmsDbfs: number | null; speech?: boolean; label?: string }) {
  const t = useT()
  const value = rmsDbfs === null || !Number.isFinite(rmsDbfs) ? METER_FLOOR_DB : Math.max(METER_FLOOR_DB, Math.min(0, rmsDbfs))
  const rounded = Math.round(value)
  const fraction = (value - METER_FLOOR_DB) / -METER_FLOOR_DB
  return (
    <div
      className={`level-meter${speech ? ' level-meter--speech' : ''}`}
      role="meter"
      aria-label={label ?? t('meter.label')}
      aria-valuemin={METER_FLOOR_DB}
      aria-valuemax={0}
      aria-valuenow={rounded}
      aria-valuetext={t('meter.valueText', { db: rounded })}
    >
      <div className="level-meter__fill" style={{ transform: `scaleX(${fraction})` }} />
    </div>
  )
}
