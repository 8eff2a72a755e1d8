/** Reads a region's change stream straight from its nats-server, as an outside consumer would: every change, in order. */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { streamName, type ChangeMessage, type ReceivedMessage } from '../../src/bus/wire.js';
import { decodeMessage } from '../../src/bus/wireDecode.js';

export async function streamMessages(url: string, region = 'us-east-1'): Promise<ChangeMessage[]> {
  return (await streamGroups(url, region)).flatMap((group) => group.changes);
}

export interface StoredGroup extends ReceivedMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
}

/** Every message of a region's stream, as stored: its sequence, subject, id and changes. */
export async function streamGroups(url: string, region = 'us-east-1'): Promise<StoredGroup[]> {
  const connection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(connection);
    const info = await jsm.streams.info(streamName(region));
    const out: StoredGroup[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const stored = (await jsm.streams.getMessage(streamName(region), { seq }))!;
      out.push({ seq, subject: stored.subject, msgId: stored.header?.get('Nats-Msg-Id'), ...decodeMessage(stored.data) });
    }
    return out;
  } finally {
    await connection.close();
  }
}
