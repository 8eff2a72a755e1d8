/**
 * Where identifiers come from (table ids, request ids): random in a real region, from the seeded
 * source in the simulator, so a replayed run names everything the same way.
 */
export interface IdSource {
  /** An RFC 4122 version 4 shaped id. */
  uuid(): string;
}

/** Formats 16 bytes as a version 4 UUID (the version and variant bits set as the RFC says). */
export function uuidFromBytes(bytes: ArrayLike<number>): string {
  const hex: string[] = [];
  for (let i = 0; i < 16; i += 1) {
    let byte = bytes[i] & 255;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex.push(byte.toString(16).padStart(2, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
