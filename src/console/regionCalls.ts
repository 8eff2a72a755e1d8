/** The console's calls to one region: its admin API (with the cluster's token) and its DynamoDB API (signed with the cluster's key, if it has one). */
import { adminHeaders } from '../config/adminToken.js';
import type { Credentials } from '../config/credentials.js';
import { callHeaders } from '../scenario/client.js';

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

/** `credentials`: signed with them for real (the signature's scope names the region), else a signature of the checked form. */
export async function dynamoCall(region: ConsoleRegion, operation: string, input: unknown, credentials?: Credentials): Promise<RegionAnswer> {
  const url = `${region.endpoint}/`;
  const body = JSON.stringify(input);
  const headers = await callHeaders(url, operation, body, credentials && { credentials, region: region.name });
  return answer(region, url, { method: 'POST', headers, body });
}

/** A read of the admin API: its body, or why there is none (the region's refusal, with its status, or its silence). */
export type AdminRead<T> = { ok: true; body: T } | { ok: false; status?: number; error: string };

export async function adminGet<T>(region: ConsoleRegion, token: string | undefined, path: string): Promise<AdminRead<T>> {
  try {
    const { status, body } = await adminCall(region, token, 'GET', path);
    if (status === 200) return { ok: true, body: body as T };
    return { ok: false, status, error: String((body as { error?: unknown }).error ?? `status ${status}`) };
  } catch (error) {
    if (error instanceof RegionDownError) return { ok: false, error: error.message };
    throw error;
  }
}

/** An admin read's body, or undefined when the region is down or refused. */
export async function adminRead<T>(region: ConsoleRegion, token: string | undefined, path: string): Promise<T | undefined> {
  const read = await adminGet<T>(region, token, path);
  return read.ok ? read.body : undefined;
}
