/** Faults in words, as the event feed tells them. */
import { expect, it } from 'vitest';
import { clockFaultText, linkFaultText } from '../../src/http/faultTexts.js';

it('words clock and link faults', () => {
  expect(clockFaultText({ mode: 'wall', skewMs: -2000 })).toBe('clock skew \u22122 s (wall)');
  expect(clockFaultText({ mode: 'hlc', skewMs: 348 })).toBe('clock skew +348 ms (hlc)');
  expect(clockFaultText({ mode: 'hlc', skewMs: 0 })).toBe('clock skew 0 ms (hlc)');
  const healthy = { latencyMs: 0, jitterMs: 0, stalled: false };
  expect(linkFaultText('eu-west-1', 'updated', { stalled: true }, { ...healthy, stalled: true })).toBe('link from eu-west-1 stalled');
  expect(linkFaultText('eu-west-1', 'updated', { latencyMs: 500 }, { ...healthy, latencyMs: 500 })).toBe('link from eu-west-1: latency 500 ms, jitter 0 ms');
  expect(linkFaultText('eu-west-1', 'updated', { stalled: false, jitterMs: 20 }, { ...healthy, jitterMs: 20 })).toBe('link from eu-west-1 no longer stalled; latency 0 ms, jitter 20 ms');
  expect(linkFaultText('eu-west-1', 'healed')).toBe('link from eu-west-1 healed');
  expect(linkFaultText('eu-west-1', 'reset')).toBe('link from eu-west-1 reset: its connections dropped');
});
