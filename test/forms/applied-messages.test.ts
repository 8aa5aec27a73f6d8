import { describe, expect, it } from 'vitest';
import { APPLIED_KEEP_MS, APPLIED_MAX, wasApplied, withApplied } from '../../src/bot/forms/applied-messages.ts';
import type { FormState } from '../../src/storage/ports.ts';

const base: FormState = {
  formId: 'f',
  version: 1,
  step: 0,
  answers: {},
  attempts: 0,
  startedAt: 0,
  updatedAt: 0,
  expiresAt: 0,
  draftExpiresAt: 0,
  revision: 1,
};

describe('the messages a form state remembers (issue 23)', () => {
  it('are every message within the retry window, bounded in number, oldest dropped first', () => {
    let state: FormState = { ...base };
    for (let i = 0; i < APPLIED_MAX + 30; i++) state = { ...state, appliedMessages: withApplied(state, `msg:${i}`, 1000 + i) };
    expect(state.appliedMessages).toHaveLength(APPLIED_MAX);
    expect(wasApplied(state, `msg:${APPLIED_MAX + 29}`)).toBe(true);
    expect(wasApplied(state, 'msg:30')).toBe(true);
    expect(wasApplied(state, 'msg:29')).toBe(false);
    expect(wasApplied(state, undefined)).toBe(false);
  });

  it('forget a message once WeCom can no longer retry it', () => {
    const state: FormState = { ...base, appliedMessages: withApplied(base, 'msg:1', 0) };
    const later = { ...state, appliedMessages: withApplied(state, 'msg:2', APPLIED_KEEP_MS) };
    expect(wasApplied(later, 'msg:1')).toBe(false);
    expect(wasApplied(later, 'msg:2')).toBe(true);
  });

  it('read a state written before the set existed (its one last message)', () => {
    const old: FormState = { ...base, lastMessage: 'msg:7', updatedAt: 5 };
    expect(wasApplied(old, 'msg:7')).toBe(true);
    const next = { ...old, appliedMessages: withApplied(old, 'msg:8', 10) };
    delete next.lastMessage;
    expect(wasApplied(next, 'msg:7')).toBe(true);
    expect(wasApplied(next, 'msg:8')).toBe(true);
  });
});
