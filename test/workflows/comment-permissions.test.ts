// The comment-action table, stated independently: who triages, disposes, moderates, gives a province's
// opinion on a comment and records a province's consolidated review; and who reads the notice outbox.
import type { Province } from '../../workflows/domain';
import { GRANTS } from './grants';
import { commentGrant, consolidatingProvinces, mayReadNoticeOutbox, type CommentAction } from '../../workflows/comment-permissions';

const STD = { standardId: 's1', leadProvince: 'SH' as Province };

const G = GRANTS;

const SPEC: Record<Exclude<CommentAction, 'provinceOpinion' | 'provinceReview'>, string[]> = {
  triage: ['drafter', 'shEco', 'jsEco', 'exec', 'admin'],
  dispose: ['drafter', 'shEco'],
  moderate: ['drafter', 'shEco', 'exec', 'admin'],
};

describe('comment permissions', () => {
  for (const [action, who] of Object.entries(SPEC) as Array<[CommentAction, string[]]>) {
    for (const name of Object.keys(G)) {
      it(`${action}: ${name} ${who.includes(name) ? 'may' : 'may not'}`, () => {
        const g = commentGrant(action, [G[name]], STD);
        expect(g).toEqual(who.includes(name) ? G[name] : undefined);
      });
    }
  }

  it("gives a province's opinion on comments from its province; the lead department also on those from elsewhere", () => {
    expect(commentGrant('provinceOpinion', [G.jsEco], STD, 'JS')).toEqual(G.jsEco);
    expect(commentGrant('provinceOpinion', [G.jsEco], STD, 'SH')).toBeUndefined();
    expect(commentGrant('provinceOpinion', [G.jsEco], STD, 'other')).toBeUndefined();
    expect(commentGrant('provinceOpinion', [G.shEco], STD, 'other')).toEqual(G.shEco);
    expect(commentGrant('provinceOpinion', [G.drafter, G.exec, G.admin], STD, 'SH')).toBeUndefined();
  });

  it("records a province's review only through that province's department", () => {
    expect(commentGrant('provinceReview', [G.shEco, G.jsEco], STD, 'JS')).toEqual(G.jsEco);
    expect(commentGrant('provinceReview', [G.shEco], STD, 'ZJ')).toBeUndefined();
    expect(commentGrant('provinceReview', [G.exec, G.admin], STD, 'SH')).toBeUndefined();
  });

  it('returns the first grant that allows the action (the audit records it)', () => {
    expect(commentGrant('dispose', [G.jsEco, G.drafter, G.shEco], STD)).toEqual(G.drafter);
  });

  it('lists the provinces a user consolidates for; the outbox is for admins', () => {
    expect(consolidatingProvinces([G.shEco, G.drafter, G.jsEco])).toEqual(['SH', 'JS']);
    expect(mayReadNoticeOutbox([G.admin])).toBe(true);
    expect(mayReadNoticeOutbox([G.exec, G.shEco])).toBe(false);
  });
});
