// Draft access by grant and stage: writers edit while the draft is editable (起草, 技术审查 revising) and read
// otherwise; steering, approving and reviewing staff read; a drafter or expert of another standard sees nothing.
import type { Province, Stage } from '../../workflows/domain';
import { GRANTS } from './grants';
import { draftDocName, standardIdOfDoc } from '../../workflows/domain';
import { draftPermission, isDraftWriter } from '../../workflows/draft-access';

const std = (stage: Stage, step?: string) => ({ _id: 's1', leadProvince: 'SH' as Province, stage, ...(step ? { step } : {}) });

const G = GRANTS;

describe('draft access', () => {
  it('writers edit in drafting, while comments are handled and while revising after review, read elsewhere', () => {
    for (const w of ['drafter', 'shEco']) {
      expect(isDraftWriter([G[w]], std('drafting'))).toBe(true);
      expect(draftPermission([G[w]], std('drafting', 'editing'))).toBe('edit');
      expect(draftPermission([G[w]], std('technicalReview', 'revising'))).toBe('edit');
      expect(draftPermission([G[w]], std('technicalReview', 'underReview'))).toBe('read');
      expect(draftPermission([G[w]], std('publicComment', 'open'))).toBe('read');
      // Accepted comments are worked in while comments are handled (issue 12 item 6).
      expect(draftPermission([G[w]], std('publicComment', 'handlingComments'))).toBe('edit');
      expect(draftPermission([G[w]], std('inForce', 'active'))).toBe('read');
    }
  });

  it('other staff read; drafters and experts of other standards see nothing', () => {
    for (const r of ['jsEco', 'exec', 'shReg', 'anyExpert', 'expert', 'admin']) {
      expect(isDraftWriter([G[r]], std('drafting'))).toBe(false);
      expect(draftPermission([G[r]], std('drafting', 'editing'))).toBe('read');
    }
    expect(draftPermission([G.otherDrafter], std('drafting', 'editing'))).toBe('none');
    expect(draftPermission([G.otherExpert], std('drafting', 'editing'))).toBe('none');
    expect(draftPermission([], std('drafting', 'editing'))).toBe('none');
  });

  it('names a draft document and reads the standard back from it', () => {
    expect(draftDocName('s1')).toBe('standard:s1');
    expect(standardIdOfDoc(draftDocName('s1'))).toBe('s1');
    expect(standardIdOfDoc('other:s1')).toBeNull();
  });
});
