/** The other regions, reached only through their configured URLs (never by sharing a process). */
import { adminHeaders } from '../config/adminToken.js';
import type { PeerConfig } from '../config/regionConfig.js';

export class PeerRequestError extends Error {
  constructor(message: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerRequestError';
  }
}

export interface PeerInfo {
  region: string;
  natsUrl?: string;
}

/** A peer's admin API; a cluster shares one admin token, which every call carries. */
export class PeerClient {
  constructor(readonly config: PeerConfig, private readonly adminToken?: string, private readonly timeoutMs = 10_000) {}

  get name(): string {
    return this.config.name;
  }

  async info(): Promise<PeerInfo> {
    return this.request<PeerInfo>('GET', '/admin/info');
  }

  /** The peer's nats-server as configured, or as the peer itself reports it. */
  async natsUrl(): Promise<string> {
    if (this.config.natsUrl) return this.config.natsUrl;
    const info = await this.info();
    if (!info.natsUrl) throw new PeerRequestError(`region ${this.name} publishes no change stream`);
    return info.natsUrl;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.config.endpoint), {
        method,
        headers: { ...adminHeaders(this.adminToken), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PeerRequestError(`region ${this.name} (${this.config.endpoint}) is unreachable: ${(error as Error).message}`, undefined, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new PeerRequestError(`region ${this.name} answered ${response.status} to ${method} ${path}: ${text}`, response.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
