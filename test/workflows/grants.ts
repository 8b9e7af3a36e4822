// Grants of every kind, for the pure permission tests: standard `s1`, led by Shanghai; `s2` is another standard.
import type { RoleGrant } from '../../workflows/domain';

export const GRANTS: Record<string, RoleGrant> = {
  drafter: { role: 'drafter', standardIds: ['s1'] },
  otherDrafter: { role: 'drafter', standardIds: ['s2'] },
  shEco: { role: 'ecoEnvDepartment', province: 'SH' },
  jsEco: { role: 'ecoEnvDepartment', province: 'JS' },
  exec: { role: 'executiveCommittee' },
  shReg: { role: 'marketRegulator', province: 'SH' },
  anyExpert: { role: 'expert' },
  expert: { role: 'expert', standardIds: ['s1'] },
  otherExpert: { role: 'expert', standardIds: ['s2'] },
  admin: { role: 'admin' },
};
