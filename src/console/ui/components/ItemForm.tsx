/** Write one item in one region: put, update (SET the attributes given) or delete. */
import { useState } from 'preact/hooks';
import type { ConsoleState } from '../state/index.js';
import type { ConsoleActions } from './actions.js';
import { itemRequest, parseAttributes, type InputFormat, type ItemOperation } from './itemInput.js';

export interface ItemFormProps {
  state: ConsoleState;
  actions: ConsoleActions;
  defaultTable?: string | null;
}

const PLACEHOLDERS: Record<InputFormat, { key: string; attributes: string }> = {
  rows: { key: 'id = race', attributes: 'text = hello\ncount = 3' },
  json: { key: '{"id": {"S": "race"}}', attributes: '{"text": {"S": "hello"}}' },
};

export function ItemForm({ state, actions, defaultTable }: ItemFormProps) {
  const [region, setRegion] = useState(state.regionOrder[0] ?? '');
  const [table, setTable] = useState(defaultTable ?? state.tableNames[0] ?? '');
  const [format, setFormat] = useState<InputFormat>('rows');
  const [keyText, setKeyText] = useState('');
  const [attrText, setAttrText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const chosenRegion = region || state.regionOrder[0] || '';
  const chosenTable = table || defaultTable || state.tableNames[0] || '';

  const send = async (operation: ItemOperation) => {
    try {
      const input = itemRequest(operation, chosenTable, parseAttributes(keyText, format), parseAttributes(attrText, format));
      const answer = await actions.dynamodb(chosenRegion, operation, input);
      const ok = answer.status === 200;
      setResult({ ok, text: ok ? `${operation} done in ${chosenRegion}` : `${String(answer.body.__type ?? answer.status).split('#').pop()}: ${String(answer.body.message ?? answer.body.Message ?? '')}` });
    } catch (error) {
      setResult({ ok: false, text: (error as Error).message });
    }
  };

  return (
    <form class="item-form" onSubmit={(e) => { e.preventDefault(); void send('PutItem'); }}>
      <div class="fields">
        <label>Region <select value={chosenRegion} onChange={(e) => setRegion(e.currentTarget.value)}>
          {state.regionOrder.map((r) => <option key={r} value={r}>{r}</option>)}
        </select></label>
        <label>Table <input list="table-names" value={chosenTable} onInput={(e) => setTable(e.currentTarget.value)} /></label>
        <datalist id="table-names">{state.tableNames.map((t) => <option key={t} value={t} />)}</datalist>
        <fieldset class="format">
          <legend>Format</legend>
          <label><input type="radio" name="format" checked={format === 'rows'} onChange={() => setFormat('rows')} /> name = value</label>
          <label><input type="radio" name="format" checked={format === 'json'} onChange={() => setFormat('json')} /> DynamoDB JSON</label>
        </fieldset>
      </div>
      <div class="texts">
        <label>Key <textarea rows={2} value={keyText} placeholder={PLACEHOLDERS[format].key} onInput={(e) => setKeyText(e.currentTarget.value)} /></label>
        <label>Attributes <textarea rows={2} value={attrText} placeholder={PLACEHOLDERS[format].attributes} onInput={(e) => setAttrText(e.currentTarget.value)} /></label>
      </div>
      <div class="buttons">
        <button type="submit">Put</button>
        <button type="button" onClick={() => send('UpdateItem')}>Update</button>
        <button type="button" onClick={() => send('DeleteItem')}>Delete</button>
        {result && <span role="status" class={result.ok ? 'ok' : 'error'}>{result.text}</span>}
      </div>
    </form>
  );
}
