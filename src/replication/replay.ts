/** Reads one table's changes in a range of a source's stream (a new replica's catch-up). */
import { connect } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { streamName, type ChangeMessage } from '../bus/wire.js';
import { decodeMessage } from '../bus/wireDecode.js';
import type { TableRange } from './changeSource.js';

export async function readTableChanges(natsUrl: string, source: string, table: string, { fromSeq, toSeq, afterLsn }: TableRange, timeoutMs = 30_000): Promise<ChangeMessage[]> {
  const connection = await connect({ servers: natsUrl, timeout: Math.min(timeoutMs, 5000) });
  try {
    const stream = streamName(source);
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    const last = Math.min(toSeq, info.state.last_seq);
    if (fromSeq > last) return [];
    const consumer = await jetstream(connection).consumers.get(stream, {
      filter_subjects: `chg.${source}.${source}.${table}`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: fromSeq,
    });
    const out: ChangeMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = await consumer.next({ expires: 1000 });
      if (!m) {
        // Nothing more for this table up to the stream's end.
        break;
      }
      if (m.seq > last) break;
      for (const change of decodeMessage(m.data).changes) if (change.lsn > afterLsn) out.push(change);
      if (m.seq >= last || m.info.pending === 0) break;
    }
    return out;
  } finally {
    await connection.close();
  }
}
