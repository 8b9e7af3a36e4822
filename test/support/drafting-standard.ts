// Test helper: a standard proposed by the Shanghai eco-environment department over the HTTP API (drafter
// `drafter-sh` assigned) and approved by the three bureaus, so its draft is open for editing. For tests
// that start the whole runtime and need a draft to work on.
import { ApiSession } from '../../scripts/demo-lifecycle-driver';

export const SAMPLE_PROPOSAL = {
  kind: 'emissionStandard',
  mandatory: false,
  field: '水环境',
  scope: '水污染物排放',
  leadUnits: ['上海市生态环境局'],
  participatingUnits: ['江苏省生态环境厅', '浙江省生态环境厅'],
  plannedYear: 2027,
  draftingUnits: ['上海市环境科学研究院'],
  drafters: ['张三'],
  drafterUsernames: ['drafter-sh'],
} as const;

/** Proposes a standard with these titles and has all three bureaus approve it; returns its id. */
export async function startDraftingStandard(baseUrl: string, titles: { titleZh: string; titleEn: string }): Promise<string> {
  const as = (u: string): Promise<ApiSession> => new ApiSession(baseUrl, u).signIn();
  const record = await (await as('sh-eco')).request<{ _id: string }>('POST', '/api/standards', { ...titles, ...SAMPLE_PROPOSAL });
  for (const [province, u] of [['SH', 'sh-msa'], ['JS', 'js-msa'], ['ZJ', 'zj-msa']] as const) {
    await (await as(u)).request('POST', `/api/standards/${record._id}/actions/decideInitiation`, { province, decision: 'approve' });
  }
  return record._id;
}
