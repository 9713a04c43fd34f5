/**
 * The Tasks part's factory: builds the part and registers its requests
 * (`taskwarden/tasks/*`, declared in agent/protocol/tasks.ts).
 */
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
} from '../protocol/tasks';
import type { PartFactory } from '../server/part';
import * as controls from './controls';
import { TasksPart } from './tasksPart';

export const createTasksPart: PartFactory = (context) => {
  const part = new TasksPart(context);
  const { rpc } = context;
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
  return part;
};
