// Why the chosen range cannot be shown, in words, with a button that fixes it: never a dead end.
import { ADJECTIVE, describeDays, fixed, formatDay, type Range, type RangeProblem } from './range'
import './range.css'

const FIX_LABELS = { day: 'Switch to daily', week: 'Switch to weekly', month: 'Switch to monthly' } as const

export function RangeProblemNote(props: { range: Range; problem: RangeProblem; onFix: (r: Range) => void }) {
  const { range, problem, onFix } = props
  const fix = fixed(range, problem)
  if (problem.kind === 'order') {
    return (
      <div className="range-problem" role="alert">
        <p>
          This range starts on {formatDay(problem.from)}, after its end on {formatDay(problem.to)}.
        </p>
        <button type="button" onClick={() => onFix(fix)}>
          Swap the dates
        </button>
      </div>
    )
  }
  const what = `A ${ADJECTIVE[problem.interval]} ${problem.what}`
  return (
    <div className="range-problem" role="alert">
      <p>
        {what} covers at most {describeDays(problem.maxDays)}; this range has{' '}
        {problem.days.toLocaleString('en-US')} days.
        {problem.fix === null && ' Choose a shorter range.'}
      </p>
      {problem.fix !== null && (
        <button type="button" onClick={() => onFix(fix)}>
          {FIX_LABELS[problem.fix]}
        </button>
      )}
    </div>
  )
}
