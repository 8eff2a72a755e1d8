/**
 * SSESpecification as CreateTable and UpdateTable accept it, and SSEDescription as tables report it.
 *
 * DynamoDB encrypts every table at rest. Without a specification (or with Enabled false) it uses a
 * key of its own and describes no SSEDescription; Enabled true asks for a KMS key. There is no KMS
 * here, so a KMS key is refused rather than described with an ARN that encrypts nothing. A region
 * started with an encryption key encrypts everything it keeps on disk, every table alike, with a
 * key it holds: its tables say so as DynamoDB said it of its own-key encryption, ENABLED/AES256
 * (describe in tables.ts).
 */
import { invalid } from '../errors.js';
import { bool, str, struct, type FieldRule } from '../validation/shape.js';

export interface SSESpecification {
  Enabled?: boolean;
  SSEType?: 'AES256' | 'KMS';
  KMSMasterKeyId?: string;
}

export const sseSpecificationRule = (): FieldRule => struct('SSESpecification', {
  Enabled: bool(),
  SSEType: str({ enum: ['AES256', 'KMS'] }),
  KMSMasterKeyId: str(),
});

const PREFIX = 'One or more parameter values were invalid: ';

/** DynamoDB's checks of a specification, then the refusal of KMS; what passes asks for the default encryption. */
export function checkSseSpecification(spec: SSESpecification): void {
  if (!spec.Enabled) {
    if (spec.SSEType !== undefined) invalid(`${PREFIX}SSEType can not be specified if Enabled is false`);
    if (spec.KMSMasterKeyId !== undefined) invalid(`${PREFIX}KMSMasterKeyId can not be specified if Enabled is false`);
    return;
  }
  if (spec.SSEType === 'AES256') invalid(`${PREFIX}SSEType AES256 is not supported`);
  if (spec.KMSMasterKeyId !== undefined && spec.SSEType !== 'KMS') invalid(`${PREFIX}SSEType KMS is required if KMSMasterKeyId is specified`);
  invalid(`${PREFIX}KMS encryption is not emulated by globaltables: leave SSESpecification out, or set Enabled to false. ` +
    'Tables are encrypted at rest with the region\'s own key when it is started with --encryption-key-file');
}

/** What UpdateTable says of a specification that passed the checks: the table has the default encryption already. */
export function alreadyDefaultEncryption(): never {
  invalid(`${PREFIX}Table is already encrypted by default`);
}

