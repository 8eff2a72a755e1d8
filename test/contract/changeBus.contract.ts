/** What every ChangeBus must do for the publisher: ordered appends, no gaps, duplicates recognised. */
import { describe, expect, it } from 'vitest';
import type { ChangeBus } from '../../src/bus/changeBus.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** `open` gives a fresh bus and the region whose stream it writes (subjects are chg.<region>.…). */
export function runChangeBusContract(name: string, open: () => Promise<{ bus: ChangeBus; region: string }>): void {
  describe(`ChangeBus contract: ${name}`, () => {
    it('starts empty and appends in order, sequence after sequence', async () => {
      const { bus, region } = await open();
      const subject = `chg.${region}.${region}.t`;
      await bus.ensureStream();
      await bus.ensureStream();
      expect((await bus.lastMessage()).seq).toBe(0);
      for (let seq = 1; seq <= 5; seq += 1) {
        expect(await bus.publish(subject, seq, `r:${seq}`, bytes(`m${seq}`))).toEqual({ seq, duplicate: false });
      }
      expect((await bus.lastMessage()).seq).toBe(5);
      await bus.close();
    });

    it('refuses a publish that does not follow the last sequence, and stores nothing for it', async () => {
      const { bus, region } = await open();
      const subject = `chg.${region}.${region}.t`;
      await bus.ensureStream();
      await bus.publish(subject, 1, 'r:1', bytes('a'));
      await expect(bus.publish(subject, 3, 'r:3', bytes('c'))).rejects.toThrow();
      expect((await bus.lastMessage()).seq).toBe(1);
      expect(await bus.publish(subject, 2, 'r:2', bytes('b'))).toEqual({ seq: 2, duplicate: false });
      await bus.close();
    });

    it('recognises a retried publish by its message id instead of storing it twice', async () => {
      const { bus, region } = await open();
      const subject = `chg.${region}.${region}.t`;
      await bus.ensureStream();
      await bus.publish(subject, 1, 'r:1', bytes('a'));
      await bus.publish(subject, 2, 'r:2', bytes('b'));
      const retried = await bus.publish(subject, 2, 'r:2', bytes('b'));
      expect(retried).toEqual({ seq: 2, duplicate: true });
      expect((await bus.lastMessage()).seq).toBe(2);
      await bus.close();
    });
  });
}
