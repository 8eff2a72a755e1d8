/** The console server's routes, as the live page calls them. */
import type { Item } from '../../../core/types.js';
import type { ConsoleActions, DynamoAnswer, LinkUpdate } from '../components/actions.js';
import type { ClusterInfo, HistoryResponse, TableResponse } from '../state/index.js';

/** A call the console server (or the region behind it) refused or could not make. */
export class ConsoleCallError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'ConsoleCallError';
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: text };
  }
  if (!response.ok) throw new ConsoleCallError(String((parsed as { error?: unknown }).error ?? `${method} ${path}: ${response.status}`), response.status);
  return parsed as T;
}

const region = (name: string): string => `/api/regions/${encodeURIComponent(name)}`;

export const fetchCluster = (): Promise<ClusterInfo> => call('GET', '/api/cluster');
export const fetchTable = (table: string): Promise<TableResponse> => call('GET', `/api/table?table=${encodeURIComponent(table)}`);

export const liveActions: ConsoleActions = {
  dynamodb: (name, operation, input) => call<DynamoAnswer>('POST', `${region(name)}/dynamodb`, { operation, input }),
  setLink: async (target, source, update: LinkUpdate) => {
    await call('PUT', `${region(target)}/admin/links/${encodeURIComponent(source)}`, update);
  },
  healLinks: async (name) => {
    await call('POST', `${region(name)}/admin/links/heal`);
  },
  setClock: async (name, clock) => {
    await call('PUT', `${region(name)}/admin/clock`, clock);
  },
  crash: async (name) => {
    await call('POST', `${region(name)}/crash`);
  },
  restart: async (name) => {
    await call('POST', `${region(name)}/restart`);
  },
  history: async (table: string, keys: Item) => (await call<HistoryResponse>('GET', `/api/history?table=${encodeURIComponent(table)}&key=${encodeURIComponent(JSON.stringify(keys))}`)).timeline,
};
