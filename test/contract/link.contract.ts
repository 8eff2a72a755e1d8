/** What every Link must do: forward in order, delay by latency, hold while stalled, drop on reset, validate settings. */
import { describe, expect, it } from 'vitest';
import { LinkSettingsError, MAX_LINK_DELAY_MS, type Link } from '../../src/nats/link.js';

export interface LinkHarness {
  link: Link;
  /** Sends one line from the source side towards the replicator. */
  send(line: string): Promise<void>;
  /** Lines that have arrived so far, in arrival order. */
  received(): string[];
  /** Lets time pass (real or simulated). */
  elapse(ms: number): Promise<void>;
  /** After a reset, opens the path again (a TCP client reconnects). */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export function runLinkContract(name: string, open: () => Promise<LinkHarness>): void {
  describe(`Link contract: ${name}`, () => {
    it('forwards everything in order when healthy', async () => {
      const h = await open();
      for (let i = 0; i < 20; i += 1) await h.send(`m${i}`);
      await h.elapse(50);
      expect(h.received()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
      await h.close();
    });

    it('delays by the latency and keeps order under jitter', async () => {
      const h = await open();
      h.link.update({ latencyMs: 200, jitterMs: 50 });
      for (let i = 0; i < 10; i += 1) await h.send(`m${i}`);
      await h.elapse(100);
      expect(h.received()).toEqual([]);
      await h.elapse(300);
      expect(h.received()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      await h.close();
    });

    it('holds everything while stalled and delivers it in order on heal', async () => {
      const h = await open();
      h.link.update({ stalled: true });
      for (let i = 0; i < 5; i += 1) await h.send(`m${i}`);
      await h.elapse(300);
      expect(h.received()).toEqual([]);
      expect(h.link.heal()).toEqual({ latencyMs: 0, jitterMs: 0, stalled: false });
      await h.elapse(100);
      expect(h.received()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      await h.close();
    });

    it('drops what is in flight on reset, counts it, and carries new traffic afterwards', async () => {
      const h = await open();
      h.link.update({ stalled: true });
      await h.send('lost');
      await h.elapse(50);
      h.link.reset();
      h.link.update({ stalled: false });
      expect(h.link.stats().resets).toBeGreaterThanOrEqual(1);
      await h.reconnect();
      await h.send('after');
      await h.elapse(100);
      expect(h.received()).toEqual(['after']);
      await h.close();
    });

    it('refuses invalid settings and keeps the ones it had', async () => {
      const h = await open();
      h.link.update({ latencyMs: 10 });
      expect(() => h.link.update({ latencyMs: -1 })).toThrow(LinkSettingsError);
      expect(() => h.link.update({ jitterMs: Number.NaN })).toThrow(LinkSettingsError);
      expect(() => h.link.update({ latencyMs: MAX_LINK_DELAY_MS + 1 })).toThrow(LinkSettingsError);
      expect(() => h.link.update({ jitterMs: 1e300 })).toThrow(LinkSettingsError);
      expect(h.link.settings).toEqual({ latencyMs: 10, jitterMs: 0, stalled: false });
      expect(h.link.update({ latencyMs: MAX_LINK_DELAY_MS, jitterMs: MAX_LINK_DELAY_MS }).latencyMs).toBe(MAX_LINK_DELAY_MS);
      await h.close();
    });
  });
}
