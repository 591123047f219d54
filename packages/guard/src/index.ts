// @bucketry/guard: guarded rollouts — a staged plan, a monitor that judges it look by look, and its state.
export type {
  Plan,
  PlanStage,
  Verdict,
  ReasonCode,
  EventCursor,
  ArmTally,
  GuardrailTally,
  ArmJudgement,
  GuardrailJudgement,
  Decision,
  MonitorStatus,
  ReadCounts,
  MonitorState,
} from './types.js';
