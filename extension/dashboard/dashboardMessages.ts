/**
 * What the extension posts to the dashboard page: the agent's stats snapshot
 * when the page opens (or the agent reconnects), then each batch of new points
 * the agent pushes. The page never asks for anything (no polling).
 */
import type { StatsBatch } from '../../agent/protocol/stats';

export type DashboardMessage =
  /** Replaces everything the page holds. */
  | { readonly kind: 'snapshot'; readonly batch: StatsBatch }
  /** New points (and new or changed series) to add. */
  | { readonly kind: 'points'; readonly batch: StatsBatch }
  /** The agent is not reachable: the page says so and keeps what it shows. */
  | { readonly kind: 'disconnected'; readonly message: string };
