/** StreamSpecification as CreateTable and UpdateTable accept it. */
import { invalid } from '../errors.js';
import type { StreamSpecification } from '../tables.js';
import { bool, str, struct, type FieldRule } from '../validation/shape.js';

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;

export const streamSpecificationRule = (): FieldRule => struct('StreamSpecification', {
  StreamEnabled: bool({ notNull: true }),
  StreamViewType: str({ enum: STREAM_VIEW_TYPES }),
});

/** Checks the pairing of StreamEnabled and StreamViewType for a new table. */
export function checkStreamSpecification(spec: StreamSpecification): StreamSpecification | undefined {
  if (spec.StreamEnabled && !spec.StreamViewType) {
    invalid('One or more parameter values were invalid: Stream is enabled, StreamViewType should be specified');
  }
  if (!spec.StreamEnabled && spec.StreamViewType) {
    invalid('One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
  return spec.StreamEnabled ? { StreamEnabled: true, StreamViewType: spec.StreamViewType } : undefined;
}
