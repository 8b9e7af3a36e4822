// Test support for the staff-page tests of issue 12: the app harness with the versions and 编制说明 pages
// mounted on its database (no live draft, no DOCX), `sh-eco` and `exec` signed in, and a standard
// proposed and taken into drafting.
import { startAppHarness, sampleProposalBody, type AppHarness, type SignedIn } from './app-harness';
import { regulatorOf } from '../../workflows/support';
import { versionsExtension } from '../../../server/extensions/versions';
import { explanatoryNoteExtension } from '../../../server/extensions/explanatory-note';

/** A filled-in 编制说明 form (the plain form's fields, one topic), as the staff-page tests post it. */
export const sampleNoteForm = {
  taskSource: '长三角示范区执委会2026年标准计划',
  process: '组建起草组，开展调研，形成征求意见稿。',
  principlesAndBasis: '科学性、可操作性。',
  topic0: '4 要求',
  rationale0: '依据现状监测数据确定。',
  verification: '开展了三地试点。',
  relationToLawsAndStandards: '与现行法律法规协调一致。',
  majorDivergences: '无。',
  implementationSuggestions: '发布后六个月实施。',
};

export interface StaffPages {
  h: AppHarness;
  s: Record<'sh-eco' | 'exec', SignedIn>;
  propose(): Promise<string>;
  toDrafting(id: string): Promise<void>;
}

export async function startStaffPages(name: string): Promise<StaffPages> {
  const h = await startAppHarness(name, {
    extensions: (db) => [
      versionsExtension({ db, collab: { getDoc: () => Promise.reject(new Error('no live draft in this test')), flush: async () => undefined } as never }),
      explanatoryNoteExtension({ db, release: { generateExplanatoryNote: () => Promise.reject(new Error('no DOCX in this test')) } }),
    ],
  });
  const s = { 'sh-eco': await h.signIn('sh-eco'), exec: await h.signIn('exec') };
  return {
    h,
    s,
    propose: async () => (await s['sh-eco'].post('/api/standards', sampleProposalBody).expect(201)).body._id as string,
    toDrafting: async (id) => {
      for (const pr of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: pr, decision: 'approve' }, regulatorOf[pr]);
    },
  };
}
