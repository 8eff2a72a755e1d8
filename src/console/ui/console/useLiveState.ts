/**
 * The live state: the cluster first, then every event of /api/events folded in, in batches (a
 * busy cluster sends hundreds of changes a second; the page folds and draws them together).
 * EventSource reconnects by itself; the server replays its backlog on each connect.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { emptyState, loadCluster, loadTable, reduceAll, type ConsoleEvent, type ConsoleState, type TableResponse } from '../state/index.js';
import { fetchCluster } from './api.js';

const FLUSH_MS = 40;
const EVENT_TYPES = ['hello', 'change', 'changesSkipped', 'conflict', 'fault', 'status', 'region', 'convergence'];

export interface LiveState {
  state: ConsoleState;
  /** The event stream is open. */
  connected: boolean;
  error: string | null;
  addTable(response: TableResponse): void;
}

export function useLiveState(): LiveState {
  const [state, setState] = useState(emptyState);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<ConsoleEvent[]>([]);
  const frame = useRef<number | null>(null);

  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    const flush = () => {
      frame.current = null;
      const events = pending.current;
      pending.current = [];
      setState((s) => reduceAll(s, events));
    };
    const receive = (message: MessageEvent<string>) => {
      pending.current.push(JSON.parse(message.data) as ConsoleEvent);
      // A timer, not an animation frame: a hidden tab gets no frames, and events would pile up.
      frame.current ??= window.setTimeout(flush, FLUSH_MS);
    };
    fetchCluster()
      .then((cluster) => {
        if (closed) return;
        setState((s) => loadCluster(s, cluster));
        source = new EventSource('/api/events');
        source.onopen = () => setConnected(true);
        source.onerror = () => setConnected(false);
        for (const type of EVENT_TYPES) source.addEventListener(type, receive as EventListener);
      })
      .catch((e: Error) => setError(`the console server did not answer: ${e.message}`));
    return () => {
      closed = true;
      source?.close();
      if (frame.current !== null) clearTimeout(frame.current);
    };
  }, []);

  return { state, connected, error, addTable: (response) => setState((s) => loadTable(s, response)) };
}
