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
export { parsePlan, PlanError } from './plan.js';
export { createMonitor, MonitorStoppedError, MONITOR_ACTOR, type Monitor, type MonitorOptions } from './monitor.js';
export { advanceRollout, type AdvanceOptions } from './advance.js';
export { openEventSource, SourceError, type EventSource, type EventSink } from './source.js';
export { acquireMonitorLock, MonitorLockedError, type MonitorLock, type LockOptions } from './lock.js';
export { createWebhook, type Webhook, type WebhookOptions, type WebhookStats } from './webhook.js';
export { readState, statePathFor } from './state-file.js';
export { simulateStage, type SimulateStageOptions, type StageSimulation } from './simulate.js';
export { createStatusHandler, createStatusServer, type StatusPageOptions, type StatusHandler } from './status-page.js';
export type { StatusMonitorView, StatusGuardrail } from './status-page-data.js';
export { statusMonitorView } from './status-page-monitor.js';
export type { Baseline, BaselineMetric } from './baseline.js';
export { readBaselineFile, BaselineFileError, defaultBaselinePath } from './baseline-file.js';
