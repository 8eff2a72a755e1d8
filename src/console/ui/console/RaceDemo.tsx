/** "Race two writes": the guided demo, three clicks from a cut link to a conflict resolved. */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleActions } from '../components/actions.js';
import { differingCells, keyId, tableRegions, type ConsoleState } from '../state/index.js';
import { cutLink, DEMO_TABLE, heal, prepareDemoTable, RACE_KEY, writeInBoth } from './raceSteps.js';

/** Where the page should point once the writes have met: the race's row, and a conflict not among these. */
export interface DemoPointer { table: string; rowId: string; conflictsBefore: string[] }

export interface RaceDemoProps {
  state: ConsoleState;
  actions: ConsoleActions;
  onShowTable: (table: string) => void;
  onPoint: (pointer: DemoPointer | null) => void;
}

type Phase = 'preparing' | 'ready' | 'cut' | 'written' | 'healed' | 'failed';
const STEP_PHASES: Phase[] = ['ready', 'cut', 'written'];
const ROW_ID = keyId(RACE_KEY);

export function RaceDemo({ state, actions, onShowTable, onPoint }: RaceDemoProps) {
  const [a, setA] = useState(state.regionOrder[0] ?? '');
  const [b, setB] = useState(state.regionOrder[1] ?? '');
  const [phase, setPhase] = useState<Phase>('preparing');
  const [busy, setBusy] = useState(false);
  const [said, say] = useState('');

  // Step 0, on opening the demo (and on another choice of regions): the table, global in both.
  useEffect(() => {
    if (!a || !b || a === b) {
      setPhase('failed');
      say('Choose two different regions.');
      return;
    }
    let stale = false;
    setPhase('preparing');
    onPoint(null);
    prepareDemoTable(actions, a, b, (text) => !stale && say(text))
      .then(() => {
        if (stale) return;
        onShowTable(DEMO_TABLE);
        setPhase('ready');
        say(`Table ${DEMO_TABLE} is a global table in ${a} and ${b}: a write in either reaches the other within moments. Now cut the link between them.`);
      })
      .catch((e: Error) => !stale && (setPhase('failed'), say(`The demo could not set up its table: ${e.message}`)));
    return () => { stale = true; };
  }, [a, b]);

  const step = async (run: () => Promise<void>, next: Phase, after: string) => {
    setBusy(true);
    try {
      await run();
      setPhase(next);
      say(after);
    } catch (e) {
      say(`That did not work: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const conflictsBefore = state.conflicts.filter((g) => g.table === DEMO_TABLE && g.rowId === ROW_ID).map((g) => g.id);
  const row = state.tables[DEMO_TABLE]?.rows[ROW_ID];
  const agree = phase === 'healed' && row !== undefined && differingCells(row, tableRegions(state, DEMO_TABLE)).length === 0;
  const at = STEP_PHASES.indexOf(phase);
  const stepClass = (i: number) => (at === i ? 'current' : at > i || phase === 'healed' ? 'done' : '');

  return (
    <div class="race-demo">
      <div class="pick">
        <label>First region <select value={a} onChange={(e) => setA(e.currentTarget.value)}>{state.regionOrder.map((r) => <option key={r}>{r}</option>)}</select></label>
        <label>Second region <select value={b} onChange={(e) => setB(e.currentTarget.value)}>{state.regionOrder.map((r) => <option key={r}>{r}</option>)}</select></label>
        {phase === 'healed' && <button type="button" onClick={() => { setPhase('ready'); onPoint(null); say('Ready for another race: cut the link again.'); }}>Race again</button>}
      </div>
      <ol class="steps">
        <li class={stepClass(0)}>
          <button type="button" class="primary" disabled={busy || phase !== 'ready'} onClick={() => step(() => cutLink(actions, a, b), 'cut',
            `${a} and ${b} are cut off, both directions stalled as in a network partition: each still accepts writes, but hears nothing of the other's. Now write the same key in both.`)}>1. Cut the link</button>
          <p>Stall both directions between {a} and {b}.</p>
        </li>
        <li class={stepClass(1)}>
          <button type="button" class="primary" disabled={busy || phase !== 'cut'} onClick={() => step(() => writeInBoth(actions, a, b), 'written',
            `Both regions accepted their write at once (a global table never makes a write wait for another region): row race now differs, ${a} holding "from ${a}" and ${b} "from ${b}". Neither write saw the other. Now heal.`)}>2. Write in both</button>
          <p>PutItem id = race, text = "from &lt;region&gt;" in each.</p>
        </li>
        <li class={stepClass(2)}>
          <button type="button" class="primary" disabled={busy || phase !== 'written'} onClick={() => step(async () => {
            await heal(actions, a, b);
            onPoint({ table: DEMO_TABLE, rowId: ROW_ID, conflictsBefore });
          }, 'healed', `Healed: the held changes flow, and each region meets a write made concurrently with its own — a conflict. The larger version (timestamp, then counter, then region name) wins everywhere: the highlighted card says who won and why, the highlighted row shows the cells come to agree.`)}>3. Heal</button>
          <p>Let the two writes meet.</p>
        </li>
      </ol>
      <p class="say" role="status" aria-live="polite">{phase === 'preparing' && '⏳ '}{said}{agree && ' The cells agree: every region holds the winner.'}</p>
    </div>
  );
}
