/** The lag chart's data: one column per second, one series per directed pair. */
import type { ConsoleState } from './consoleState.js';

export interface LagChartData {
  /** Seconds since the epoch (what uPlot's time axis reads). */
  times: number[];
  series: { pair: string; values: (number | null)[] }[];
}

/** The last `windowMs` of samples before the state's now; a pair with no sample in a second shows a gap. */
export function lagChartData(state: ConsoleState, windowMs: number): LagChartData {
  const fromMs = state.nowMs - windowMs;
  const samples = state.lagSamples.filter((s) => s.atMs >= fromMs);
  const seconds = [...new Set(samples.map((s) => Math.floor(s.atMs / 1000)))].sort((a, b) => a - b);
  const column = new Map(seconds.map((s, i) => [s, i]));
  const series = state.lagPairs.map((pair) => ({ pair, values: seconds.map((): number | null => null) }));
  const byPair = new Map(series.map((s) => [s.pair, s.values]));
  for (const s of samples) byPair.get(s.pair)![column.get(Math.floor(s.atMs / 1000))!] = s.lagMs;
  return { times: seconds, series };
}
