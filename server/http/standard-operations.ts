// What a signed-in user does to a standard, shared by the JSON API and the HTML forms: propose, take a
// lifecycle action, record a publicity event, add drafters. Each checks role and stage here first (403 /
// 409 with a bilingual reason) so nothing is stored for a refused request; the workflow re-checks as the
// authority.
import type { Db } from 'mongodb';
import { TERMINAL_STAGES, type Actor, type Province, type RoleGrant, type StandardRecord } from '../../workflows/domain';
import type { Action, LifecycleState } from '../../workflows/messages';
import { checkAction, type PermissionContext } from '../../workflows/permissions';
import type { LifecycleApi } from '../app-deps';
import { deletePublicityEvent, findPublicityEvent, insertPublicityEvent, type PublicityEventDoc } from '../../activities/data/publicity-events';
import { findUserByUsername, grantDrafter, type Principal, type UserDoc } from '../../activities/data/users';
import { AppError } from '../../activities/infra/errors';
import type { ProposeBody, PublicityEventBody } from './schemas';
import type { AnyActionPayload } from '../../workflows/payloads';
import { requireStandard } from './standards-read';

export interface OperationDeps {
  db: Db;
  lifecycle: LifecycleApi;
}

export function actorOf(user: Principal, grant: RoleGrant): Actor {
  return { userId: user.userId, displayName: user.displayName, role: grant.role, ...(grant.province ? { province: grant.province } : {}) };
}

/** The permission context of a standard as the projection shows it. */
export function contextOf(s: StandardRecord): PermissionContext {
  return { standardId: s._id, leadProvince: s.leadProvince, stage: s.stage, step: s.step ?? 'awaitingDecisions', provinces: s.provinces };
}

export function contextOfState(s: StandardRecord, st: LifecycleState): PermissionContext {
  return { standardId: s._id, leadProvince: s.leadProvince, stage: st.stage, step: st.step, provinces: st.provinces };
}

function refusal(kind: 'role' | 'stage', zh: string, en: string): AppError {
  return kind === 'role' ? new AppError('FORBIDDEN', { zh, en }) : new AppError('STAGE_CONFLICT', { zh, en });
}

/**
 * The grant with which `user` may take `action` now, or a 403/409. The projection answers first; when it
 * says "not in this stage" the live workflow state is asked, since the projection may trail the workflow
 * by one transition.
 */
export async function authorizeAction(deps: OperationDeps, user: Principal, standard: StandardRecord, action: Action, province?: Province): Promise<RoleGrant> {
  let verdict = checkAction(action, user.grants, contextOf(standard), province);
  if (!verdict.ok && verdict.kind === 'stage') {
    const live = await deps.lifecycle.state(standard._id);
    verdict = checkAction(action, user.grants, contextOfState(standard, live), province);
  }
  if (!verdict.ok) throw refusal(verdict.kind, verdict.zh, verdict.en);
  return verdict.grant;
}

async function usersByName(db: Db, usernames: readonly string[]): Promise<UserDoc[]> {
  const unique = [...new Set(usernames)];
  const found = await Promise.all(unique.map((u) => findUserByUsername(db, u)));
  const missing = unique.filter((_, i) => !found[i]);
  if (missing.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      { zh: `以下账号不存在：${missing.join('、')}`, en: `No such accounts: ${missing.join(', ')}` },
      { details: missing.map((m) => ({ path: 'usernames', message_zh: `账号不存在：${m}`, message_en: `No such account: ${m}` })) },
    );
  }
  return found as UserDoc[];
}

/** Proposes a standard: only an eco-environment department, which becomes the lead province. */
export async function proposeStandard(deps: OperationDeps, user: Principal, body: ProposeBody): Promise<StandardRecord> {
  const grant = user.grants.find((g) => g.role === 'ecoEnvDepartment' && g.province);
  if (!grant?.province) {
    throw new AppError('FORBIDDEN', { zh: '只有生态环境部门可以提出立项', en: 'Only an eco-environment department may propose a standard' });
  }
  const { drafterUsernames, ...input } = body;
  // Check the drafting group before anything is stored.
  const drafters = await usersByName(deps.db, drafterUsernames);
  const record = await deps.lifecycle.propose(input, actorOf(user, grant));
  for (const d of drafters) await grantDrafter(deps.db, d._id, record._id);
  return record;
}

export async function performAction(deps: OperationDeps, user: Principal, standardId: string, action: Action, payload: AnyActionPayload): Promise<LifecycleState> {
  const standard = await requireStandard(deps.db, standardId);
  const province = 'province' in payload ? payload.province : undefined;
  const grant = await authorizeAction(deps, user, standard, action, province);
  if (action === 'recordPublicityEvent' && 'eventId' in payload) {
    const ev = await findPublicityEvent(deps.db, payload.eventId);
    if (!ev || ev.standardId !== standardId) {
      throw new AppError('NOT_FOUND', { zh: '宣贯活动不存在', en: 'No such publicity event for this standard' });
    }
  }
  return deps.lifecycle.act(standardId, action, payload, actorOf(user, grant));
}

/** Stores the event, then records it in the lifecycle; a refused action removes the stored event again. */
export async function recordPublicityEvent(
  deps: OperationDeps,
  user: Principal,
  standardId: string,
  body: PublicityEventBody,
): Promise<{ event: PublicityEventDoc; state: LifecycleState }> {
  const standard = await requireStandard(deps.db, standardId);
  const grant = await authorizeAction(deps, user, standard, 'recordPublicityEvent');
  const event = await insertPublicityEvent(deps.db, { standardId, ...body, createdBy: { userId: user.userId, displayName: user.displayName } });
  try {
    const state = await deps.lifecycle.act(standardId, 'recordPublicityEvent', { eventId: event._id }, actorOf(user, grant));
    return { event, state };
  } catch (e) {
    await deletePublicityEvent(deps.db, event._id);
    throw e;
  }
}

/** Who may add drafters to a standard: its lead department, the executive committee, an administrator. */
export function mayManageDrafters(user: Principal, standard: StandardRecord): boolean {
  return user.grants.some(
    (g) => (g.role === 'ecoEnvDepartment' && g.province === standard.leadProvince) || g.role === 'executiveCommittee' || g.role === 'admin',
  );
}

export async function addDrafters(deps: OperationDeps, user: Principal, standardId: string, usernames: readonly string[]): Promise<string[]> {
  const standard = await requireStandard(deps.db, standardId);
  if (!mayManageDrafters(user, standard)) {
    throw new AppError('FORBIDDEN', {
      zh: '只有牵头生态环境部门、示范区执委会或管理员可以指定起草组成员',
      en: 'Only the lead eco-environment department, the executive committee or an administrator may add drafters',
    });
  }
  if (TERMINAL_STAGES.includes(standard.stage)) {
    throw new AppError('STAGE_CONFLICT', { zh: '该标准项目已终止', en: 'This standard has ended' });
  }
  const users = await usersByName(deps.db, usernames);
  for (const u of users) await grantDrafter(deps.db, u._id, standardId);
  return users.map((u) => u.username);
}
