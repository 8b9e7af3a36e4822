// The demo accounts: one per body of the action plan's Annex 1 (three eco-environment departments, three
// market regulation bureaus, the executive committee, three zone local bureaus), a drafter per province,
// an expert and an administrator, all with one known password. `npm run seed` and `npm start` create them.
import type { Db } from 'mongodb';
import { EXECUTIVE_COMMITTEE, PROVINCE_INFO, ROLE_LABELS, type Province, type RoleGrant } from '../../workflows/domain';
import { upsertUser } from '../../activities/data/users';
import { hashPassword } from './passwords';

/** The password of every demo account (demo data only: change or remove these accounts in production). */
export const DEMO_PASSWORD = 'tongbiao-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  displayNameEn: string;
  grants: RoleGrant[];
}

const PROVINCE_PREFIX: Record<Province, string> = { SH: 'sh', JS: 'js', ZJ: 'zj' };
const LOCAL_BUREAU_USERNAME: Record<Province, string> = { SH: 'qingpu', JS: 'wujiang', ZJ: 'jiashan' };
const PROVINCE_ORDER: Province[] = ['SH', 'JS', 'ZJ'];

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  ...PROVINCE_ORDER.map((p) => ({
    username: `${PROVINCE_PREFIX[p]}-eco`,
    displayName: PROVINCE_INFO[p].ecoEnvDepartmentZh,
    displayNameEn: PROVINCE_INFO[p].ecoEnvDepartmentEn,
    grants: [{ role: 'ecoEnvDepartment' as const, province: p }],
  })),
  ...PROVINCE_ORDER.map((p) => ({
    username: `${PROVINCE_PREFIX[p]}-msa`,
    displayName: PROVINCE_INFO[p].marketRegulatorZh,
    displayNameEn: PROVINCE_INFO[p].marketRegulatorEn,
    grants: [{ role: 'marketRegulator' as const, province: p }],
  })),
  { username: 'exec', displayName: EXECUTIVE_COMMITTEE.zh, displayNameEn: EXECUTIVE_COMMITTEE.en, grants: [{ role: 'executiveCommittee' }] },
  ...PROVINCE_ORDER.map((p) => ({
    username: LOCAL_BUREAU_USERNAME[p],
    displayName: PROVINCE_INFO[p].localBureauZh,
    displayNameEn: PROVINCE_INFO[p].localBureauEn,
    grants: [{ role: 'localBureau' as const, province: p }],
  })),
  ...PROVINCE_ORDER.map((p) => ({
    username: `drafter-${PROVINCE_PREFIX[p]}`,
    displayName: `${PROVINCE_INFO[p].nameZh}起草组成员`,
    displayNameEn: `Drafter (${PROVINCE_INFO[p].nameEn})`,
    // Which standards they draft is added per standard (at proposal or by the lead department).
    grants: [{ role: 'drafter' as const, province: p, standardIds: [] }],
  })),
  { username: 'expert', displayName: '技术审查专家', displayNameEn: 'Review expert', grants: [{ role: 'expert' }] },
  { username: 'admin', displayName: '系统管理员', displayNameEn: 'Administrator', grants: [{ role: 'admin' }] },
];

export interface SeededAccount extends DemoAccount {
  created: boolean;
}

/**
 * Creates the demo accounts or resets their names, password and roles. Drafters keep the standards they
 * were given (those live in `standard_drafters`), so seeding again never takes work away.
 */
export async function seedDemoAccounts(db: Db, password = DEMO_PASSWORD): Promise<SeededAccount[]> {
  const passwordHash = await hashPassword(password);
  const out: SeededAccount[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const { created } = await upsertUser(db, { username: a.username, displayName: a.displayName, displayNameEn: a.displayNameEn, passwordHash, grants: a.grants });
    out.push({ ...a, created });
  }
  return out;
}

function describeGrant(g: RoleGrant): string {
  const scope = g.province ? ` ${PROVINCE_INFO[g.province].shortZh}` : '';
  return `${ROLE_LABELS[g.role].zh}${scope}`;
}

/** A plain-text table of the accounts (username, password, role, name) for the console. */
export function formatAccountsTable(accounts: readonly DemoAccount[], password = DEMO_PASSWORD): string {
  const rows = accounts.map((a) => [a.username, password, a.grants.map(describeGrant).join('、'), a.displayName]);
  const header = ['用户名 username', '密码 password', '角色 role', '名称 name'];
  // CJK characters take two columns in a terminal.
  const width = (s: string): number => [...s].reduce((n, ch) => n + (/[\u1100-\uFFFF]/.test(ch) ? 2 : 1), 0);
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]): string => cells.map((c, i) => c + ' '.repeat(cols[i] - width(c))).join('  ').trimEnd();
  return [line(header), cols.map((c) => '-'.repeat(c)).join('  '), ...rows.map(line)].join('\n');
}
