/**
 * The replay page of an HTML report: the run's data is inlined in the page (#run-data); the
 * header and expectations, the timeline strip, the scrubber and the state of the run at the
 * moment chosen.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RunTimeline } from '../../../scenario/timeline.js';
import { cursorAtStop, cursorAtTime, stepStops, type Cursor } from './cursor.js';
import { Expectations, Header } from './Header.js';
import { defaultSpeed, Scrubber } from './Scrubber.js';
import { StateAt } from './StateAt.js';
import { StripLegend, TimelineStrip } from './TimelineStrip.js';
import { RunFolder } from './foldRun.js';
import { runDurationMs } from './marks.js';
import './replay.css';

function readRun(): RunTimeline {
  const element = document.getElementById('run-data');
  if (!element?.textContent) throw new Error('this page holds no run (no #run-data)');
  return JSON.parse(element.textContent) as RunTimeline;
}

function App({ run }: { run: RunTimeline }) {
  const stops = useMemo(() => stepStops(run.events), [run]);
  const folder = useMemo(() => new RunFolder(run), [run]);
  const conflicts = useMemo(() => folder.at(run.events.length, run.endedAtMs).conflicts, [folder]);
  // A report opens on the run's end: the outcome first, then step back through how it came about.
  const [cursor, setCursor] = useState<Cursor>(() => cursorAtTime(run, run.endedAtMs));
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(() => defaultSpeed(runDurationMs(run)));
  const seek = (atMs: number): void => { setPlaying(false); setCursor(cursorAtTime(run, atMs)); };
  const toStop = (stop: number): void => { setPlaying(false); setCursor(cursorAtStop(stops, stop)); };
  const toStep = (index: number): void => { const stop = stops.findIndex((s) => s.step.index === index); if (stop >= 0) toStop(stop); };
  const play = (on: boolean): void => {
    // Playing from the end starts over.
    if (on && cursor.atMs >= run.endedAtMs) setCursor(cursorAtTime(run, run.startedAtMs));
    setPlaying(on);
  };
  useEffect(() => {
    if (!playing) return undefined;
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const elapsed = now - last;
      last = now;
      setCursor((c) => {
        const atMs = Math.min(c.atMs + elapsed * speed, run.endedAtMs);
        if (atMs >= run.endedAtMs) setPlaying(false);
        return cursorAtTime(run, atMs);
      });
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, run]);
  return (
    <main>
      <Header run={run} />
      <section class="panel timeline">
        <TimelineStrip run={run} stops={stops} conflicts={conflicts} cursor={cursor} onSeek={seek} />
        <StripLegend />
        <Scrubber run={run} stops={stops} cursor={cursor} playing={playing} speed={speed}
          onSeek={seek} onStop={toStop} onPlay={play} onSpeed={setSpeed} />
      </section>
      <StateAt run={run} folder={folder} cursor={cursor} stops={stops} onStop={toStop} />
      <Expectations run={run} onStep={toStep} />
    </main>
  );
}

render(<App run={readRun()} />, document.getElementById('app')!);
