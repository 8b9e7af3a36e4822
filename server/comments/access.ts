// Who on the staff side may do what with comments. The signed-in principal comes from the app's session
// layer (`req.user`, with role grants); this module only reads it.
import type { Request } from 'express';
import type { Province, RoleGrant } from '../../workflows/domain';
import { AppError } from '../../activities/infra/errors';
import type { CommentRecord, Who } from '../../activities/comments/model';
import type { ConsultationStandard } from './period';

export interface StaffPrincipal {
  userId: string;
  displayName: string;
  grants: RoleGrant[];
}

function isPrincipal(u: unknown): u is StaffPrincipal {
  if (typeof u !== 'object' || u === null) return false;
  const p = u as Record<string, unknown>;
  return typeof p.userId === 'string' && typeof p.displayName === 'string' && Array.isArray(p.grants);
}

/** The principal the session layer put on the request, if any. */
export function principalOf(req: Request): StaffPrincipal | undefined {
  const u: unknown = (req as Request & { user?: unknown }).user;
  return isPrincipal(u) ? u : undefined;
}

export function requirePrincipal(req: Request): StaffPrincipal {
  const p = principalOf(req);
  if (!p) throw new AppError('UNAUTHENTICATED', { zh: '请先登录', en: 'Please sign in' });
  return p;
}

const drafterOf = (g: RoleGrant, id: string): boolean => g.role === 'drafter' && (g.standardIds ?? []).includes(id);
const leadEco = (g: RoleGrant, std: ConsultationStandard): boolean => g.role === 'ecoEnvDepartment' && g.province === std.leadProvince;

/** Sees the triage page: the drafting group, any eco-environment department, the executive committee, admins. */
export function canTriage(p: StaffPrincipal, std: ConsultationStandard): RoleGrant | undefined {
  return p.grants.find((g) => drafterOf(g, std._id) || g.role === 'ecoEnvDepartment' || g.role === 'executiveCommittee' || g.role === 'admin');
}

/** Records dispositions and publishes them: the drafting group or the lead eco-environment department. */
export function canDispose(p: StaffPrincipal, std: ConsultationStandard): RoleGrant | undefined {
  return p.grants.find((g) => drafterOf(g, std._id) || leadEco(g, std));
}

/** Hides or shows comments: the drafting group, the lead department, the executive committee, admins. */
export function canModerate(p: StaffPrincipal, std: ConsultationStandard): RoleGrant | undefined {
  return p.grants.find((g) => drafterOf(g, std._id) || leadEco(g, std) || g.role === 'executiveCommittee' || g.role === 'admin');
}

/** The province a principal consolidates for: its eco-environment department grant. */
export function consolidatingProvinces(p: StaffPrincipal): Province[] {
  return p.grants.filter((g) => g.role === 'ecoEnvDepartment' && g.province).map((g) => g.province as Province);
}

/** A province's department reviews comments from its province; the lead department also takes those from elsewhere. */
export function canGiveProvinceOpinion(p: StaffPrincipal, std: ConsultationStandard, c: CommentRecord): RoleGrant | undefined {
  return p.grants.find((g) => g.role === 'ecoEnvDepartment' && (g.province === c.submitter.province || (c.submitter.province === 'other' && g.province === std.leadProvince)));
}

export function isAdmin(p: StaffPrincipal): boolean {
  return p.grants.some((g) => g.role === 'admin');
}

export function forbidden(): AppError {
  return new AppError('FORBIDDEN', { zh: '您没有权限执行此操作', en: 'You may not do this' });
}

/** The audit identity of a principal acting through one of its grants. */
export function whoOf(p: StaffPrincipal, g: RoleGrant): Who {
  return { userId: p.userId, displayName: p.displayName, role: g.role, ...(g.province ? { province: g.province } : {}) };
}
