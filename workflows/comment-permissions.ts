// Who on the staff side may do what with a standard's public comments. Pure: grants and the standard (its
// id and lead province) in, the grant the user acts through out (undefined = refused). The comment pages
// ask this; the audit records the grant returned. Lifecycle actions are in permissions.ts, draft access in
// draft-access.ts.
import type { Province, RoleGrant } from './domain';
import { isDrafterOf, isLeadEco, type StandardRef } from './permissions';

export type CommentAction =
  /** Sees the triage page, counts and the disposition table. */
  | 'triage'
  /** Records dispositions and publishes them. */
  | 'dispose'
  /** Hides or shows a comment. */
  | 'moderate'
  /** Gives a province's opinion on one comment (`province` = the comment submitter's province). */
  | 'provinceOpinion'
  /** Records a province's consolidated review (`province` = the province reviewed for). */
  | 'provinceReview';

type Who = (g: RoleGrant, std: StandardRef, province?: Province | 'other') => boolean;

const COMMENT_RULES: Record<CommentAction, Who> = {
  // The drafting group, any eco-environment department, the executive committee, admins.
  triage: (g, std) => isDrafterOf(g, std) || g.role === 'ecoEnvDepartment' || g.role === 'executiveCommittee' || g.role === 'admin',
  // The drafting group or the lead eco-environment department.
  dispose: (g, std) => isDrafterOf(g, std) || isLeadEco(g, std),
  // The drafting group, the lead department, the executive committee, admins.
  moderate: (g, std) => isDrafterOf(g, std) || isLeadEco(g, std) || g.role === 'executiveCommittee' || g.role === 'admin',
  // A province's department reviews comments from its province; the lead department also takes those from elsewhere.
  provinceOpinion: (g, std, p) => g.role === 'ecoEnvDepartment' && p !== undefined && (g.province === p || (p === 'other' && g.province === std.leadProvince)),
  // A province's department consolidates for its own province.
  provinceReview: (g, _std, p) => g.role === 'ecoEnvDepartment' && p !== undefined && g.province === p,
};

/** The grant through which `grants` may take the comment action on the standard, or undefined. */
export function commentGrant(action: CommentAction, grants: readonly RoleGrant[], std: StandardRef, province?: Province | 'other'): RoleGrant | undefined {
  const who = COMMENT_RULES[action];
  return grants.find((g) => who(g, std, province));
}

/** The provinces a user consolidates comments for: those of its eco-environment department grants. */
export function consolidatingProvinces(grants: readonly RoleGrant[]): Province[] {
  return grants.filter((g) => g.role === 'ecoEnvDepartment' && g.province).map((g) => g.province as Province);
}

/** Sees the outbox of outcome notices (not tied to a standard): administrators. */
export function mayReadNoticeOutbox(grants: readonly RoleGrant[]): boolean {
  return grants.some((g) => g.role === 'admin');
}
