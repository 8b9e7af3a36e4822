// The users collection: accounts with an Argon2 password hash and their role grants. Usernames are
// unique (unique index) and stored lower-case. Grant changes are read-modify-write guarded by a version
// number, since FerretDB has no transactions and no array filters.
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
  /** Incremented on every change of grants; guards concurrent read-modify-write. */
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

/**
 * Makes `userId` a drafter of `standardId`: adds the id to the user's drafter grant, or adds a drafter
 * grant (in the user's province) when the user has none. Idempotent. Returns the updated user.
 */
export async function grantDrafter(db: Db, userId: string, standardId: string): Promise<UserDoc> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await findUserById(db, userId);
    if (!user) throw new AppError('NOT_FOUND', { zh: '用户不存在', en: 'No such user' });
    const grants = user.grants.map((g) => ({ ...g }));
    const drafter = grants.find((g) => g.role === 'drafter');
    if (drafter) {
      if ((drafter.standardIds ?? []).includes(standardId)) return user;
      drafter.standardIds = [...(drafter.standardIds ?? []), standardId];
    } else {
      const province = provinceOfGrants(grants);
      grants.push({ role: 'drafter', ...(province ? { province } : {}), standardIds: [standardId] });
    }
    const updated = await usersCollection(db).findOneAndUpdate(
      { _id: userId, version: user.version },
      { $set: { grants, updatedAt: new Date() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (updated) return updated;
  }
  throw new AppError('CONFLICT', { zh: '用户记录正在被修改，请重试', en: 'The user record is being changed; try again' });
}

/** Users who are drafters of a standard (for its page). */
export async function findDraftersOf(db: Db, standardId: string): Promise<UserDoc[]> {
  const users = await usersCollection(db).find({ 'grants.role': 'drafter' }).sort({ username: 1 }).limit(1000).toArray();
  return users.filter((u) => u.grants.some((g) => g.role === 'drafter' && (g.standardIds ?? []).includes(standardId)));
}
