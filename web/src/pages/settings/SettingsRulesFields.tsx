// Settings > General, the owner's part: revenue rules, gross margin and privacy, as a form's fields.
import type { Workspace } from '../../api-types'

/** The revenue rules as the form edits them (text of the number inputs; the margin in percent). */
export interface RulesInput {
  churn_recognition: Workspace['churn_recognition']
  past_due_grace_days: string
  conversion_window_days: string
  gross_margin_percent: string
  respect_privacy_signals: boolean
}

export function SettingsRulesFields(props: { value: RulesInput; onChange: (next: RulesInput) => void }) {
  return (
    <>
      <h3>Revenue rules</h3>
      <p className="muted">
        How MRR, churn and conversions are counted. Changing churn recognition, the past-due grace or the
        conversion window recomputes every metric from the stored events; the gross margin changes LTV only.
      </p>
      <label>
        Churn recognition
        <select
          value={props.value.churn_recognition}
          onChange={(e) =>
            props.onChange({
              ...props.value,
              churn_recognition: e.target.value as RulesInput['churn_recognition'],
            })
          }
          aria-describedby="hint-churn-recognition"
        >
          <option value="end_of_period">At the end of the paid period</option>
          <option value="immediate">At once</option>
        </select>
      </label>
      <small id="hint-churn-recognition" className="muted">
        When a canceled subscription stops counting in MRR: at the end of its paid period, or at once.
      </small>
      <label>
        Past-due grace (days)
        <input
          type="number"
          required
          min={0}
          max={365}
          step={1}
          value={props.value.past_due_grace_days}
          onChange={(e) => props.onChange({ ...props.value, past_due_grace_days: e.target.value })}
          aria-describedby="hint-past-due-grace"
        />
      </label>
      <small id="hint-past-due-grace" className="muted">
        Days a subscription still counts after its paid period ends without a renewal.
      </small>
      <label>
        Conversion window (days)
        <input
          type="number"
          required
          min={1}
          max={365}
          step={1}
          value={props.value.conversion_window_days}
          onChange={(e) => props.onChange({ ...props.value, conversion_window_days: e.target.value })}
          aria-describedby="hint-conversion-window"
        />
      </label>
      <small id="hint-conversion-window" className="muted">
        Days after a first visit (or signup) within which a signup (or first payment) counts as converted.
      </small>
      <label>
        Gross margin (%)
        <input
          type="number"
          required
          min={0.0001}
          max={100}
          step="any"
          value={props.value.gross_margin_percent}
          onChange={(e) => props.onChange({ ...props.value, gross_margin_percent: e.target.value })}
          aria-describedby="hint-gross-margin"
        />
      </label>
      <small id="hint-gross-margin" className="muted">
        Used by LTV: ARPA × gross margin ÷ subscriber churn.
      </small>
      <h3>Privacy</h3>
      <div className="checks">
        <label>
          <input
            type="checkbox"
            checked={props.value.respect_privacy_signals}
            onChange={(e) => props.onChange({ ...props.value, respect_privacy_signals: e.target.checked })}
            aria-describedby="hint-privacy-signals"
          />
          Respect Do-Not-Track and Global Privacy Control
        </label>
      </div>
      <small id="hint-privacy-signals" className="muted">
        Events from browsers that send either signal are dropped when they arrive, not stored. Applies to what
        is received from now on; the metrics are not recomputed.
      </small>
    </>
  )
}
