/** Reads a region's change stream straight from its nats-server, as an outside consumer would. */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { streamName, type ChangeMessage } from '../../src/bus/wire.js';
import { decodeChangeMessage } from '../../src/bus/wireDecode.js';

export async function streamMessages(url: string, region = 'us-east-1'): Promise<ChangeMessage[]> {
  const connection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(connection);
    const info = await jsm.streams.info(streamName(region));
    const out: ChangeMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      out.push(decodeChangeMessage((await jsm.streams.getMessage(streamName(region), { seq }))!.data));
    }
    return out;
  } finally {
    await connection.close();
  }
}
