/**
 * What simulated seams (the ChangeSource, the PeerTransport) need of the simulated network: carry
 * one message from one region to another through the directed link's faults. The network
 * (network.ts) decides when `deliver` runs — later, never (loss, a reset, a crash), or twice
 * (duplication) — all on virtual time.
 */
export interface SimNet {
  send(from: string, to: string, bytes: number, deliver: () => void): void;
}
