// The users collection: accounts with an Argon2 password hash and their role grants. Usernames are
// unique (unique index) and stored lower-case. Which standards a drafter drafts is kept apart, one
// document per (standard, user) in `standard_drafters`: an insert under a unique _id is atomic on FerretDB
// and MongoDB alike, where a read-modify-write of the user's grants is not (FerretDB's conditional
// updates are not atomic under concurrency, so concurrent grants were lost).
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { AppError } from '../infra/errors';
import type { Province, RoleGrant } from '../../workflows/domain';

export interface UserDoc {
  _id: string;
  /** Lower-case login name, e.g. `sh-eco`. */
  username: string;
  /** Display name, Chinese (the body's name for institutional accounts). */
  displayName: string;
  displayNameEn?: string;
  passwordHash: string;
  grants: RoleGrant[];
  disabled?: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Incremented on every change of the record. */
  version: number;
}

/** The signed-in user as the server sees it: no secrets. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  displayNameEn?: string;
  grants: RoleGrant[];
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export function usersCollection(db: Db): Collection<UserDoc> {
  return db.collection<UserDoc>('users');
}

export async function ensureUserIndexes(db: Db): Promise<void> {
  await usersCollection(db).createIndex({ username: 1 }, { unique: true, name: 'username_unique' });
  await ensureDrafterIndexes(db);
}

export function toPrincipal(u: UserDoc): Principal {
  return {
    userId: u._id,
    username: u.username,
    displayName: u.displayName,
    ...(u.displayNameEn ? { displayNameEn: u.displayNameEn } : {}),
    grants: u.grants,
  };
}

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserDoc | null> {
  return usersCollection(db).findOne({ username: normalizeUsername(username) });
}

export async function findUserById(db: Db, userId: string): Promise<UserDoc | null> {
  return usersCollection(db).findOne({ _id: userId });
}

export interface NewUser {
  username: string;
  displayName: string;
  displayNameEn?: string;
  passwordHash: string;
  grants: RoleGrant[];
}

function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/** Creates a user; a taken username is a CONFLICT. */
export async function createUser(db: Db, u: NewUser): Promise<UserDoc> {
  const username = normalizeUsername(u.username);
  if (!USERNAME_PATTERN.test(username)) {
    throw new AppError('VALIDATION_FAILED', { zh: `用户名无效：${username}`, en: `Invalid username: ${username}` });
  }
  const now = new Date();
  const doc: UserDoc = {
    _id: randomUUID(),
    username,
    displayName: u.displayName,
    ...(u.displayNameEn ? { displayNameEn: u.displayNameEn } : {}),
    passwordHash: u.passwordHash,
    grants: u.grants,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await usersCollection(db).insertOne(doc);
  } catch (e) {
    if (isDuplicateKey(e)) throw new AppError('CONFLICT', { zh: `用户名已存在：${username}`, en: `Username already taken: ${username}` });
    throw e;
  }
  return doc;
}

/**
 * Creates the user or, when the username exists, resets its display names, password hash and grants.
 * Used by the seed command so it can run any number of times.
 */
export async function upsertUser(db: Db, u: NewUser): Promise<{ user: UserDoc; created: boolean }> {
  const existing = await findUserByUsername(db, u.username);
  if (!existing) {
    try {
      return { user: await createUser(db, u), created: true };
    } catch (e) {
      // A concurrent seed created it in between: fall through to the update.
      if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
    }
  }
  const now = new Date();
  const updated = await usersCollection(db).findOneAndUpdate(
    { username: normalizeUsername(u.username) },
    {
      $set: { displayName: u.displayName, displayNameEn: u.displayNameEn ?? '', passwordHash: u.passwordHash, grants: u.grants, updatedAt: now },
      $inc: { version: 1 },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new AppError('INTERNAL', { zh: '用户更新失败', en: 'User update failed' });
  return { user: updated, created: false };
}

/** The province a user belongs to: that of their first province-scoped grant. */
export function provinceOfGrants(grants: readonly RoleGrant[]): Province | undefined {
  return grants.find((g) => g.province)?.province;
}

export const STANDARD_DRAFTERS = 'standard_drafters';

interface DrafterAssignment {
  /** `<standardId>:<userId>`. */
  _id: string;
  standardId: string;
  userId: string;
  addedAt: Date;
}

export async function ensureDrafterIndexes(db: Db): Promise<void> {
  const c = db.collection<DrafterAssignment>(STANDARD_DRAFTERS);
  await c.createIndex({ userId: 1 }, { name: 'userId' });
  await c.createIndex({ standardId: 1 }, { name: 'standardId' });
}

/** Makes `userId` a drafter of `standardId`. Idempotent. */
export async function grantDrafter(db: Db, userId: string, standardId: string): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('NOT_FOUND', { zh: '用户不存在', en: 'No such user' });
  try {
    await db.collection<DrafterAssignment>(STANDARD_DRAFTERS).insertOne({ _id: `${standardId}:${userId}`, standardId, userId, addedAt: new Date() });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
}

/** The grants a user acts with: the stored ones, with a drafter grant covering every assigned standard. */
export function withDrafterAssignments(grants: readonly RoleGrant[], standardIds: readonly string[]): RoleGrant[] {
  const out = grants.map((g) => ({ ...g, ...(g.standardIds ? { standardIds: [...g.standardIds] } : {}) }));
  if (standardIds.length === 0) return out;
  const drafter = out.find((g) => g.role === 'drafter');
  if (drafter) {
    drafter.standardIds = [...new Set([...(drafter.standardIds ?? []), ...standardIds])];
  } else {
    const province = provinceOfGrants(out);
    out.push({ role: 'drafter', ...(province ? { province } : {}), standardIds: [...standardIds] });
  }
  return out;
}

/** The principal of a stored user, with drafter assignments merged into the grants. */
export async function principalOf(db: Db, u: UserDoc): Promise<Principal> {
  const rows = await db.collection<DrafterAssignment>(STANDARD_DRAFTERS).find({ userId: u._id }).sort({ addedAt: 1, _id: 1 }).limit(10_000).toArray();
  return { ...toPrincipal(u), grants: withDrafterAssignments(u.grants, rows.map((r) => r.standardId)) };
}

/** Users who are drafters of a standard (for its page), by username. */
export async function findDraftersOf(db: Db, standardId: string): Promise<UserDoc[]> {
  const rows = await db.collection<DrafterAssignment>(STANDARD_DRAFTERS).find({ standardId }).limit(1000).toArray();
  if (rows.length === 0) return [];
  return usersCollection(db)
    .find({ _id: { $in: rows.map((r) => r.userId) } })
    .sort({ username: 1 })
    .toArray();
}
