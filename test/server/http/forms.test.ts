// HTML form posts become the same values the JSON API takes, so both pass one schema.
import { actionPayloadFromForm, chinaLocalToIso, formFields, lines, proposalFromForm } from '../../../server/http/forms';
import { proposeSchema } from '../../../server/http/schemas';
import { actionSchemas } from '../../../workflows/payloads';
import { safeNext } from '../../../server/http/page-routes';

describe('form posts', () => {
  it('turns the proposal form into a body the proposal schema accepts', () => {
    const body = proposalFromForm({
      titleZh: ' 标准 ',
      titleEn: 'Standard',
      kind: 'emissionStandard',
      mandatory: 'on',
      field: '水',
      scope: '范围',
      leadUnits: '上海市生态环境局\r\n\r\n 江苏省生态环境厅 ',
      participatingUnits: '',
      plannedYear: '2027',
      batch: '',
      drafterUsernames: 'drafter-sh\ndrafter-js',
      ics: '13.060.30',
      ccs: '',
    });
    expect(proposeSchema.parse(body)).toMatchObject({
      titleZh: '标准',
      mandatory: true,
      leadUnits: ['上海市生态环境局', '江苏省生态环境厅'],
      participatingUnits: [],
      plannedYear: 2027,
      drafterUsernames: ['drafter-sh', 'drafter-js'],
      ics: '13.060.30',
    });
    expect(proposeSchema.parse(body).ccs).toBeUndefined();
    expect(proposalFromForm({}).mandatory).toBe(false);
    expect(proposeSchema.safeParse(proposalFromForm({ plannedYear: '20x6' })).success).toBe(false);
  });

  it('reads the optional proposal comment period as whole days, absent when left empty', () => {
    expect(proposalFromForm({ proposalCommentDays: '14' }).proposalCommentDays).toBe(14);
    expect('proposalCommentDays' in proposalFromForm({ proposalCommentDays: ' ' })).toBe(false);
    const bad = proposeSchema.safeParse({ ...proposalFromForm({ titleZh: '标准', proposalCommentDays: 'two weeks' }) });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.some((i) => i.path[0] === 'proposalCommentDays')).toBe(true);
  });

  it('reads a datetime entered in China time as that instant', () => {
    expect(chinaLocalToIso('2026-12-01T18:00')).toBe('2026-12-01T18:00:00+08:00');
    expect(new Date(chinaLocalToIso('2026-12-01T08:00')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const p = actionPayloadFromForm('extendCommentPeriod', { newDeadline: '2026-12-01T18:00', reason: '延长' });
    expect(actionSchemas.extendCommentPeriod.parse(p)).toEqual({ newDeadline: '2026-12-01T18:00:00+08:00', reason: '延长' });
  });

  it('treats empty fields as absent and refuses repeated ones', () => {
    expect(actionPayloadFromForm('decideInitiation', { province: 'SH', decision: 'approve', reason: '  ' })).toEqual({ province: 'SH', decision: 'approve' });
    expect(formFields({ _csrf: 't', a: 'x' })).toEqual({ a: 'x' });
    expect(() => formFields({ a: ['x', 'y'] })).toThrow(/重复|Repeated/);
    expect(lines(undefined)).toEqual([]);
  });

  it('follows only same-site paths after sign-in', () => {
    expect(safeNext('/standards/s1?lang=en')).toBe('/standards/s1?lang=en');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, ['/x']]) expect(safeNext(bad)).toBe('/standards');
  });
});
