/** Each region's clock and process: skew, mode, a jump ahead, crash and restart. */
import { useState } from 'preact/hooks';
import type { ConsoleState, RegionView } from '../state/index.js';
import type { ConsoleActions } from './actions.js';
import { regionColour } from './colors.js';
import { skewText } from './format.js';

const STEP_MS = 2000;
const JUMP_MS = 60_000;

export function RegionControls({ state, actions }: { state: ConsoleState; actions: ConsoleActions }) {
  return (
    <table class="region-controls">
      <thead><tr><th scope="col">region</th><th scope="col">clock</th><th scope="col">skew</th><th scope="col">mode</th><th scope="col">process</th></tr></thead>
      <tbody>
        {state.regionOrder.map((name) => <RegionRow key={name} state={state} region={state.regions[name]} actions={actions} />)}
      </tbody>
    </table>
  );
}

function RegionRow({ state, region, actions }: { state: ConsoleState; region: RegionView; actions: ConsoleActions }) {
  const [skewSeconds, setSkewSeconds] = useState('');
  const skewMs = region.clock?.skewMs ?? 0;
  const name = region.name;
  const down = region.up === false;
  const notControllable = 'not started by this console, so it cannot crash or restart it';
  return (
    <tr data-region={name}>
      <th scope="row" style={{ color: regionColour(state, name) }}>{name}{down && <span class="down-tag"> down</span>}</th>
      <td>{region.clock ? `${region.clock.mode}, skew ${skewText(skewMs)}` : 'unknown'}</td>
      <td class="buttons">
        <button type="button" disabled={down} aria-label={`${name}: clock 2 s back`} onClick={() => actions.setClock(name, { skewMs: skewMs - STEP_MS })}>−2 s</button>
        <button type="button" disabled={down} aria-label={`${name}: clock 2 s ahead`} onClick={() => actions.setClock(name, { skewMs: skewMs + STEP_MS })}>+2 s</button>
        <button type="button" disabled={down} aria-label={`${name}: clock jumps 60 s ahead`} onClick={() => actions.setClock(name, { skewMs: skewMs + JUMP_MS })}>jump +60 s</button>
        <form class="inline" onSubmit={(e) => { e.preventDefault(); const s = Number(skewSeconds); if (skewSeconds.trim() && Number.isFinite(s)) void actions.setClock(name, { skewMs: Math.round(s * 1000) }); }}>
          <label>skew s <input type="number" step="0.1" size={5} value={skewSeconds} onInput={(e) => setSkewSeconds(e.currentTarget.value)} aria-label={`${name}: skew in seconds`} /></label>
          <button type="submit" disabled={down}>set</button>
        </form>
      </td>
      <td>
        <label class="sr-only" for={`mode-${name}`}>{name}: clock mode</label>
        <select id={`mode-${name}`} disabled={down} value={region.clock?.mode ?? 'hlc'} onChange={(e) => actions.setClock(name, { mode: e.currentTarget.value as 'hlc' | 'wall' })}>
          <option value="hlc">hlc</option>
          <option value="wall">wall</option>
        </select>
      </td>
      <td class="buttons">
        <button type="button" disabled={!region.controllable || down} title={region.controllable ? undefined : notControllable} onClick={() => actions.crash(name)}>Crash</button>
        <button type="button" disabled={!region.controllable || !down} title={region.controllable ? undefined : notControllable} onClick={() => actions.restart(name)}>Restart</button>
        {!region.controllable && <span class="muted reason">not started by this console</span>}
      </td>
    </tr>
  );
}
