/**
 * "Show Feedback": a task's parsed feedback as a read-only JSON document with
 * its own URI scheme (`taskwarden-feedback:/task-12-feedback.json`). The text
 * comes from the TasksModel (a live task's latest feedback, a finished task's
 * final one) or, for a run that is not loaded, from the agent; an open
 * document is redrawn whenever a pushed delta changes that task.
 */
import * as vscode from 'vscode';
import { TaskFeedbackRequest, type TaskFeedbackValues } from '../../agent/tasks/protocol';
import type { AgentApi } from '../shared/agentApi';
import type { TasksModel } from './tasksModel';

/** The URI scheme of feedback documents. */
export const FEEDBACK_SCHEME = 'taskwarden-feedback';

const PATH = /^\/task-(\d+)-feedback\.json$/;

/** The document URI of task `id`'s feedback. */
export function feedbackUri(id: number): vscode.Uri {
  return vscode.Uri.from({ scheme: FEEDBACK_SCHEME, path: `/task-${id}-feedback.json` });
}

/** The task id of a feedback document URI, or undefined. */
export function taskIdOfFeedbackUri(uri: vscode.Uri): number | undefined {
  const match = uri.scheme === FEEDBACK_SCHEME ? PATH.exec(uri.path) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** What a feedback document shows, before it becomes JSON text. */
interface FeedbackView {
  readonly task: number;
  readonly name: string | null;
  /** `running` (live, updates as the task writes) or `history` (final). */
  readonly source: 'running' | 'history';
  readonly state: string;
  readonly lastUpdate: string | null;
  readonly feedback: TaskFeedbackValues | null;
}

function isoOrNull(time: number | null | undefined): string | null {
  return time === null || time === undefined ? null : new Date(time).toISOString();
}

export class FeedbackDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly stopListening: () => void;

  constructor(
    private readonly agent: AgentApi,
    private readonly model: TasksModel,
  ) {
    this.stopListening = model.onChange((change) => {
      const ids = new Set(change.ids);
      for (const document of vscode.workspace.textDocuments) {
        const id = taskIdOfFeedbackUri(document.uri);
        // A reset (connection lost) names every task it forgot: their documents say so.
        if (id !== undefined && (ids.has(id) || !model.loaded)) this.changed.fire(document.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = taskIdOfFeedbackUri(uri);
    if (id === undefined) return `// not a Taskwarden feedback document: ${uri.toString()}\n`;
    try {
      return `${JSON.stringify(await this.viewOf(id), null, 2)}\n`;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      return `${JSON.stringify({ task: id, error: message }, null, 2)}\n`;
    }
  }

  private async viewOf(id: number): Promise<FeedbackView> {
    const live = this.model.task(id);
    if (live) {
      return {
        task: id,
        name: live.name,
        source: 'running',
        state: live.state,
        lastUpdate: isoOrNull(live.lastUpdateAt),
        feedback: live.feedback,
      };
    }
    const entry = this.model.historyEntry(id);
    if (entry) {
      return { task: id, name: entry.name, source: 'history', state: 'ENDED', lastUpdate: isoOrNull(entry.end), feedback: entry.feedback };
    }
    const result = await this.agent.request(TaskFeedbackRequest.type, { id });
    return {
      task: id,
      name: null,
      source: result.source,
      state: result.source === 'running' ? 'RUNNING' : 'ENDED',
      lastUpdate: isoOrNull(result.lastUpdateAt),
      feedback: result.feedback,
    };
  }

  /** Opens (or shows again) the feedback document of task `id`. */
  async show(id: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(feedbackUri(id));
    if (document.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.stopListening();
    this.changed.dispose();
  }
}

/** Registers the provider of the feedback scheme. */
export function registerFeedbackDocuments(
  agent: AgentApi,
  model: TasksModel,
): { documents: FeedbackDocuments; disposable: vscode.Disposable } {
  const documents = new FeedbackDocuments(agent, model);
  const registration = vscode.workspace.registerTextDocumentContentProvider(FEEDBACK_SCHEME, documents);
  return { documents, disposable: vscode.Disposable.from(registration, documents) };
}
