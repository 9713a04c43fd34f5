/**
 * The tasks requests of agent/tasks/protocol/messages.ts, answered by the part.
 */
import type { RpcRegistry } from '../core/rpc';
import {
  ClearTaskHistoryRequest,
  InitializeTasksRequest,
  KillAllTasksRequest,
  KillTaskRequest,
  LaunchTaskRequest,
  ListTasksRequest,
  ReserveTaskRequest,
  TaskFeedbackRequest,
  TaskHistoryRequest,
  UpdateTasksRequest,
} from './protocol';
import * as controls from './controls';
import type { TasksPart } from './tasksPart';

export function registerTaskHandlers(rpc: RpcRegistry, part: TasksPart): void {
  rpc.on(ReserveTaskRequest.type, (params) => controls.reserve(part, params));
  rpc.on(LaunchTaskRequest.type, (params) => part.launch(params));
  rpc.on(ListTasksRequest.type, () => controls.list(part));
  rpc.on(TaskFeedbackRequest.type, (params) => controls.feedback(part, params));
  rpc.on(TaskHistoryRequest.type, (params) => controls.history(part, params));
  rpc.on(ClearTaskHistoryRequest.type, () => controls.clear(part));
  rpc.on(KillTaskRequest.type, (params) => controls.kill(part, params));
  rpc.on(KillAllTasksRequest.type, (params) => controls.killAll(part, params));
  rpc.on(UpdateTasksRequest.type, () => controls.update(part));
  rpc.on(InitializeTasksRequest.type, () => controls.initialize(part));
}
