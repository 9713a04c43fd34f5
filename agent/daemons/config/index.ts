/**
 * The public API of the daemon config: pure semantics of the taskforce format
 * and Taskwarden's additions. The runtime (spawning, supervision) builds on it.
 */
export type {
  Control,
  EventType,
  RawDaemonsConfig,
  RawTask,
  RawValue,
  RawEvent,
  RawOnExit,
  RawRestart,
  RawReady,
  RawLogs,
  RawSettings,
} from './types';
export { CONTROLS, EVENT_TYPES, TASK_KEYS } from './types';
export type {
  DaemonSpec,
  DaemonEvent,
  EventAction,
  OnExitAction,
  Requirement,
  RestartPolicy,
  ReadyCheck,
  LogPolicy,
  SkippedTask,
  ActiveControl,
} from './spec';
export { DEFAULT_RESTART_POLICY, DEFAULT_STOP_SIGNAL, DEFAULT_STOP_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS, DEFAULT_LOG_POLICY } from './spec';
export { resolveDaemons, type ResolveInput, type ResolveResult } from './resolve';
export { substitute, RUNTIME_ONLY_NAMES, type SubstitutionResult } from './substitute';
export { expandList, expandScalar } from './conditional';
export { buildTaskContext, BUILTIN_NAMES, type Context, type ContextEntry, type HostFacts } from './context';
export { parseRolesFile, isInScope, activeRoles, type RolesFile, type RolesFileProblem } from './roles';
export { parseDotenv, type DotenvResult } from './dotenv';
export { parseSignal, type SignalResult } from './signals';
export { analyzeDependencies, type DependencyTask, type DependencyResult } from './dependencies';
export { fingerprintOf, canonicalJson } from './fingerprint';
export {
  INITIAL_RESTART_STATE,
  recordStart,
  recordExit,
  resetRestartState,
  backoffDelay,
  RestartTracker,
  type RestartState,
  type RestartDecision,
  type ExitInfo,
} from './restartPolicy';
export { planReconfiguration, changedFields, type ReconfigurationPlan, type ChangedInstance } from './reconfigure';
export { HTTP_SETTING_WARNING } from './checks';
export { daemonsSection, readRoles, resolveForHost, DAEMON_KEYS, type DaemonsSection } from './section';
