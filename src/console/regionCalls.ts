/** The console's calls to one region: its admin API (with the cluster's token) and its DynamoDB API. */
import { adminHeaders } from '../config/adminToken.js';
import { dynamoHeaders } from '../scenario/client.js';

export interface ConsoleRegion {
  name: string;
  endpoint: string;
}

/** What a region answered: its status and its JSON body, passed on to the page as they are. */
export interface RegionAnswer {
  status: number;
  body: unknown;
}

/** A region that did not answer (down, crashed, restarting). */
export class RegionDownError extends Error {
  constructor(readonly region: string, cause: unknown) {
    super(`${region} did not answer`, { cause });
    this.name = 'RegionDownError';
  }
}

const CALL_TIMEOUT_MS = 10_000;

async function answer(region: ConsoleRegion, url: string, init: RequestInit): Promise<RegionAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (error) {
    throw new RegionDownError(region.name, error);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: text };
  }
  return { status: response.status, body };
}

/** `path` is below /admin/ and may carry a query string. */
export function adminCall(region: ConsoleRegion, token: string | undefined, method: string, path: string, body?: string): Promise<RegionAnswer> {
  const headers: Record<string, string> = { ...adminHeaders(token), ...(body ? { 'content-type': 'application/json' } : {}) };
  return answer(region, `${region.endpoint}/admin/${path}`, { method, headers, ...(body ? { body } : {}) });
}

export function dynamoCall(region: ConsoleRegion, operation: string, input: unknown): Promise<RegionAnswer> {
  return answer(region, `${region.endpoint}/`, { method: 'POST', headers: dynamoHeaders(operation), body: JSON.stringify(input) });
}

/** An admin call whose answer must be a success; its body, or undefined when the region is down or refused. */
export async function adminRead<T>(region: ConsoleRegion, token: string | undefined, path: string): Promise<T | undefined> {
  try {
    const { status, body } = await adminCall(region, token, 'GET', path);
    return status === 200 ? body as T : undefined;
  } catch (error) {
    if (error instanceof RegionDownError) return undefined;
    throw error;
  }
}
