// The signed-in principal of the comment pages, as the app's session layer puts it on the request (`req.user`,
// with role grants), and the audit identity of a grant. Who may do what is workflows/comment-permissions.ts.
import type { Request } from 'express';
import type { RoleGrant } from '../../workflows/domain';
import { AppError } from '../../activities/infra/errors';
import type { Who } from '../../activities/comments/model';

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

export function forbidden(): AppError {
  return new AppError('FORBIDDEN', { zh: '您没有权限执行此操作', en: 'You may not do this' });
}

/** The audit identity of a principal acting through one of its grants. */
export function whoOf(p: StaffPrincipal, g: RoleGrant): Who {
  return { userId: p.userId, displayName: p.displayName, role: g.role, ...(g.province ? { province: g.province } : {}) };
}
