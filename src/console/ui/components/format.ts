/** How values, versions and times read on the page: short, and the same in every view. */
import type { AttributeValue, Item, Version } from '../../../core/types.js';

export function valueText(value: AttributeValue): string {
  if ('S' in value) return JSON.stringify(value.S);
  if ('N' in value) return value.N;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('B' in value) return `<${value.B.length * 0.75} bytes>`;
  if ('SS' in value) return `{${value.SS.map((s) => JSON.stringify(s)).join(', ')}}`;
  if ('NS' in value) return `{${value.NS.join(', ')}}`;
  if ('BS' in value) return `{${value.BS.length} binaries}`;
  if ('L' in value) return `[${value.L.map(valueText).join(', ')}]`;
  return `{${Object.entries(value.M).map(([k, v]) => `${k}: ${valueText(v)}`).join(', ')}}`;
}

/** An item's attributes as `name=value` pairs, keys left out (the row names them). */
export function itemText(item: Item, keyNames: string[] = []): string {
  const names = Object.keys(item).filter((n) => !keyNames.includes(n)).sort();
  if (names.length === 0) return '(keys only)';
  return names.map((n) => `${n}=${valueText(item[n])}`).join(' ');
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A time of day, local: 14:02:11 (with .348 when `millis`). */
export function clockText(ms: number, millis = false): string {
  const d = new Date(ms);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** A version as it orders writes: its timestamp's time of day, counter and region. */
export function versionText(v: Version): string {
  return `${clockText(v.ts, true)} #${v.counter} ${v.region}`;
}

/** A signed duration: "+2 s", "−500 ms", "0". */
export function skewText(ms: number): string {
  if (ms === 0) return '±0';
  const sign = ms > 0 ? '+' : '−';
  const abs = Math.abs(ms);
  return `${sign}${abs >= 1000 ? `${+(abs / 1000).toFixed(1)} s` : `${abs} ms`}`;
}

/** A lag or delay: "0 ms", "1.2 s". */
export function lagText(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
