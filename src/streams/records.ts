/** Change records rendered as DynamoDB Streams records, honouring the stream's view type. */
import type { ChangeRecord } from '../storage/store.js';
import { itemSize } from '../core/values.js';
import { sequenceNumber, type StreamMeta } from './registry.js';

export function streamRecord(region: string, stream: StreamMeta, change: ChangeRecord): Record<string, unknown> {
  const view = stream.viewType;
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(change.commitTimeMs / 1000),
    Keys: change.keys,
    ...((view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && change.newImage ? { NewImage: change.newImage } : {}),
    ...((view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && change.oldImage ? { OldImage: change.oldImage } : {}),
    SequenceNumber: sequenceNumber(change.lsn),
    SizeBytes: itemSize(change.keys) + (change.newImage ? itemSize(change.newImage) : 0) + (change.oldImage ? itemSize(change.oldImage) : 0),
    StreamViewType: view,
  };
  return {
    eventID: `${region}-${change.lsn}`,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    ...(change.service ? { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } } : {}),
  };
}
