/** Replication lag over time, one line per directed pair (uPlot). */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { lagChartData, type ConsoleState } from '../state/index.js';
import { regionColour } from './colors.js';
import { clockText, lagText } from './format.js';

export interface LagChartProps {
  state: ConsoleState;
  windowMs?: number;
  height?: number;
}

const DASHES = [undefined, [6, 3], [2, 3], [8, 3, 2, 3]];

export function LagChart({ state, windowMs = 120_000, height = 150 }: LagChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const pairsShown = useRef('');
  const chart = lagChartData(state, windowMs);
  const pairs = chart.series.map((s) => s.pair).join(',');
  const data: uPlot.AlignedData = [chart.times, ...chart.series.map((s) => s.values)];

  useEffect(() => {
    const el = box.current!;
    if (plot.current && pairsShown.current === pairs) {
      plot.current.setData(data);
      return;
    }
    // The series changed (a new pair): build the chart again.
    plot.current?.destroy();
    pairsShown.current = pairs;
    plot.current = new uPlot({
      width: Math.max(el.clientWidth, 200),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 100)] } },
      axes: [{ size: 24, space: 80, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600], values: (_u, ticks) => ticks.map((t) => clockText(t * 1000)) }, { size: 58, values: (_u, ticks) => ticks.map((t) => lagText(t)) }],
      series: [
        {},
        ...chart.series.map((s) => {
          const [source, target] = s.pair.split('→');
          return { label: s.pair, stroke: regionColour(state, source), width: 1.6, dash: DASHES[state.regionOrder.indexOf(target) % DASHES.length], spanGaps: false, points: { show: false } };
        }),
      ],
    }, data, el);
  }, [state, pairs, windowMs]);

  useEffect(() => {
    const el = box.current!;
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 200), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <section class="lag-chart" aria-label="Replication lag per directed pair, over time">
      <h2>Replication lag</h2>
      <div ref={box} class="lag-plot" />
      <ul class="lag-legend">
        {chart.series.map((s) => {
          const [source, target] = s.pair.split('→');
          const last = s.values.filter((x): x is number => x !== null).at(-1);
          return (
            <li key={s.pair} title={`${s.pair}: ${last !== undefined ? lagText(last) : 'no sample'}`}>
              <svg width="14" height="8" aria-hidden="true"><line x1="0" y1="4" x2="14" y2="4" stroke={regionColour(state, source)} stroke-width="2"
                stroke-dasharray={DASHES[state.regionOrder.indexOf(target) % DASHES.length]?.join(' ')} /></svg>
              {s.pair} {last !== undefined ? lagText(last) : '–'}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
