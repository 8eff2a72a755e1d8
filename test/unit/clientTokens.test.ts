import { describe, expect, it } from 'vitest';
import { IdempotentParameterMismatchException } from '../../src/dynamo/errors.js';
import {
  fingerprintOf, forgetTransaction, MAX_REMEMBERED_TOKENS, rememberedTransaction, rememberTransaction, TOKEN_LIFETIME_MS,
} from '../../src/dynamo/transactions/clientTokens.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const remembered = (fingerprint: string, expiresAtMs: number) => ({ fingerprint, expiresAtMs, replayUnits: new Map([['t', 2]]) });

describe('ClientRequestToken memory', () => {
  it('compares requests whatever the order of their members', () => {
    expect(fingerprintOf([{ Put: { TableName: 't', Item: { a: { S: 'x' } } } }])).toBe(fingerprintOf([{ Put: { Item: { a: { S: 'x' } }, TableName: 't' } }]));
    expect(fingerprintOf([{ Put: { TableName: 't', Item: { a: { S: 'x' } } } }])).not.toBe(fingerprintOf([{ Put: { TableName: 't', Item: { a: { S: 'y' } } } }]));
  });

  it('answers a token for 10 minutes, refuses it with other actions, then forgets it', () => {
    const store = createMemoryStore();
    const entry = remembered('f1', 1_000 + TOKEN_LIFETIME_MS);
    rememberTransaction(store, 'tok', entry);
    expect(rememberedTransaction(store, 'tok', 'f1', 1_000 + TOKEN_LIFETIME_MS - 1)).toBe(entry);
    expect(() => rememberedTransaction(store, 'tok', 'f2', 2_000)).toThrow(IdempotentParameterMismatchException);
    expect(rememberedTransaction(store, 'tok', 'f2', 1_000 + TOKEN_LIFETIME_MS)).toBeUndefined();
    expect(rememberedTransaction(createMemoryStore(), 'tok', 'f1', 0)).toBeUndefined();
  });

  it('forgets a token whose commit failed, and the oldest beyond the bound', () => {
    const store = createMemoryStore();
    const entry = remembered('f', 10_000);
    rememberTransaction(store, 'failed', entry);
    forgetTransaction(store, 'failed', entry);
    expect(rememberedTransaction(store, 'failed', 'other', 0)).toBeUndefined();
    for (let i = 0; i <= MAX_REMEMBERED_TOKENS; i += 1) rememberTransaction(store, `t${i}`, remembered('f', 10_000));
    expect(rememberedTransaction(store, 't0', 'f', 0)).toBeUndefined();
    expect(rememberedTransaction(store, `t${MAX_REMEMBERED_TOKENS}`, 'f', 0)).toBeDefined();
  });
});
