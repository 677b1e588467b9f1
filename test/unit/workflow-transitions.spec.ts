import type { Actor } from '../../src/common/actor.js';
import { statusesVisibleTo, PUBLIC_ACTOR, seesStatus } from '../../src/common/actor.js';
import { WORKFLOW_STATUSES } from '../../src/common/domain.js';
import { AppError } from '../../src/common/errors.js';
import { checkTransition, movesFrom, TRANSITIONS } from '../../src/workflow/transitions.js';

const CREATOR = '11111111-1111-4111-8111-111111111111';
const as = (role: Actor['role'], userId = '22222222-2222-4222-8222-222222222222'): Actor => ({
  userId,
  role,
});

function refusal(fn: () => unknown): { code: string; allowed?: unknown } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, allowed: e.details.allowed };
  }
}

describe('workflow transitions', () => {
  it('is the table of docs/workflow.md', () => {
    expect(TRANSITIONS.map((t) => `${t.from}>${t.to}:${t.who}`)).toEqual([
      'draft>submitted:researcher',
      'draft>retracted:reviewer_or_creator',
      'submitted>verified:reviewer',
      'submitted>disputed:reviewer',
      'submitted>retracted:reviewer_or_creator',
      'verified>disputed:reviewer',
      'verified>retracted:reviewer',
      'disputed>submitted:researcher',
      'disputed>verified:reviewer',
      'disputed>retracted:reviewer',
      'retracted>submitted:reviewer',
    ]);
  });

  it('every status can be retracted, and a retracted one only un-retracted', () => {
    for (const s of WORKFLOW_STATUSES.filter((x) => x !== 'retracted'))
      expect(movesFrom(s)).toContain('retracted');
    expect(movesFrom('retracted')).toEqual(['submitted']);
  });

  it.each([
    ['draft', 'verified'],
    ['draft', 'disputed'],
    ['verified', 'submitted'],
    ['verified', 'verified'],
    ['retracted', 'verified'],
    ['submitted', 'draft'],
  ])('refuses %s → %s with 409 and the allowed moves', (from, to) => {
    expect(refusal(() => checkTransition(from, to, as('admin'), CREATOR))).toEqual({
      code: 'conflict',
      allowed: movesFrom(from),
    });
  });

  it('lets a researcher submit but not verify or dispute', () => {
    expect(
      refusal(() => checkTransition('draft', 'submitted', as('researcher'), CREATOR)),
    ).toBeNull();
    expect(
      refusal(() => checkTransition('disputed', 'submitted', as('researcher'), CREATOR)),
    ).toBeNull();
    expect(
      refusal(() => checkTransition('submitted', 'verified', as('researcher'), CREATOR))?.code,
    ).toBe('forbidden');
    expect(
      refusal(() => checkTransition('submitted', 'disputed', as('researcher'), CREATOR))?.code,
    ).toBe('forbidden');
    expect(
      refusal(() => checkTransition('retracted', 'submitted', as('researcher'), CREATOR))?.code,
    ).toBe('forbidden');
  });

  it('refuses verification by anyone who changed the record since its last review, from submitted or disputed', () => {
    const editor = as('reviewer', '33333333-3333-4333-8333-333333333333');
    const editors = ['44444444-4444-4444-8444-444444444444', editor.userId!];
    for (const from of ['submitted', 'disputed']) {
      expect(refusal(() => checkTransition(from, 'verified', editor, CREATOR, editors))).toEqual({
        code: 'forbidden',
        allowed: undefined,
      });
      // Another reviewer may; the editor may still dispute or retract it.
      expect(
        refusal(() => checkTransition(from, 'verified', as('reviewer'), CREATOR, editors)),
      ).toBeNull();
      expect(
        refusal(() => checkTransition(from, 'retracted', editor, CREATOR, editors)),
      ).toBeNull();
    }
    expect(
      refusal(() => checkTransition('submitted', 'disputed', editor, CREATOR, editors)),
    ).toBeNull();
  });

  it('lets the creator retract their own entry only while draft or submitted', () => {
    const creator = as('researcher', CREATOR);
    expect(refusal(() => checkTransition('draft', 'retracted', creator, CREATOR))).toBeNull();
    expect(refusal(() => checkTransition('submitted', 'retracted', creator, CREATOR))).toBeNull();
    expect(refusal(() => checkTransition('verified', 'retracted', creator, CREATOR))?.code).toBe(
      'forbidden',
    );
    expect(
      refusal(() => checkTransition('draft', 'retracted', as('researcher'), CREATOR))?.code,
    ).toBe('forbidden');
    expect(
      refusal(() => checkTransition('draft', 'retracted', as('viewer', CREATOR), CREATOR))?.code,
    ).toBe('forbidden');
    expect(
      refusal(() => checkTransition('verified', 'retracted', as('reviewer'), CREATOR)),
    ).toBeNull();
  });

  it('never lets a reviewer verify their own entry, from submitted or disputed', () => {
    for (const from of ['submitted', 'disputed']) {
      expect(
        refusal(() => checkTransition(from, 'verified', as('reviewer', CREATOR), CREATOR))?.code,
      ).toBe('forbidden');
      expect(
        refusal(() => checkTransition(from, 'verified', as('admin', CREATOR), CREATOR))?.code,
      ).toBe('forbidden');
      expect(refusal(() => checkTransition(from, 'verified', as('reviewer'), CREATOR))).toBeNull();
    }
    // A record with no known creator (seeded, imported) can be verified by any reviewer.
    expect(
      refusal(() => checkTransition('submitted', 'verified', as('reviewer', CREATOR), null)),
    ).toBeNull();
  });
});

describe('statusesVisibleTo', () => {
  it('gives researchers what they asked for, viewers and the public only verified', () => {
    const all = [...WORKFLOW_STATUSES];
    expect(statusesVisibleTo(as('researcher'), all)).toEqual(all);
    expect(statusesVisibleTo(as('admin'), ['draft'])).toEqual(['draft']);
    expect(statusesVisibleTo(as('viewer'), all)).toEqual(['verified']);
    expect(statusesVisibleTo(PUBLIC_ACTOR, ['submitted', 'verified'])).toEqual(['verified']);
    expect(statusesVisibleTo(PUBLIC_ACTOR, ['submitted'])).toEqual([]);
    expect(seesStatus(as('viewer'), 'verified')).toBe(true);
    expect(seesStatus(as('viewer'), 'disputed')).toBe(false);
    expect(seesStatus(as('reviewer'), 'draft')).toBe(true);
  });
});
