/**
 * Shrinking a failing history: try removing steps, first in halves, then quarters, down to single
 * steps, and keep every removal after which the history still plays and still fails. What is left
 * is a history where no single step can go, usually a handful of steps that tell the story.
 */
import type { History } from './history.js';
import { playModel } from './model.js';

export interface ShrinkOptions {
  /** At most this many candidate histories are tried (each is a full simulated run). */
  maxAttempts?: number;
  /** Called after each kept removal, with the new step count. */
  onProgress?: (steps: number) => void;
}

export interface ShrinkResult {
  history: History;
  attempts: number;
}

export async function shrinkHistory(history: History, stillFails: (candidate: History) => Promise<boolean>, options: ShrinkOptions = {}): Promise<ShrinkResult> {
  const maxAttempts = options.maxAttempts ?? 500;
  let current = history;
  let attempts = 0;
  let chunk = Math.ceil(current.steps.length / 2);
  while (chunk >= 1 && attempts < maxAttempts) {
    let removedAny = false;
    let start = 0;
    while (start < current.steps.length && attempts < maxAttempts) {
      const candidate = { ...current, steps: [...current.steps.slice(0, start), ...current.steps.slice(start + chunk)] };
      // A removal that leaves a step unplayable (a restart of a region no longer crashed) proves nothing.
      if (playModel(candidate) === undefined) {
        start += chunk;
        continue;
      }
      attempts += 1;
      if (await stillFails(candidate)) {
        current = candidate;
        removedAny = true;
        options.onProgress?.(current.steps.length);
      } else {
        start += chunk;
      }
    }
    if (chunk === 1 && !removedAny) break;
    if (!removedAny || chunk > current.steps.length) chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return { history: current, attempts };
}
