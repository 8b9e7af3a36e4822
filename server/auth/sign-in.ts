// Checking a username and password. Unknown users and wrong passwords get the same answer and take about
// the same time, so sign-in does not reveal which accounts exist.
import type { Db } from 'mongodb';
import { findUserByUsername, principalOf, type Principal } from '../../activities/data/users';
import { AppError } from '../../activities/infra/errors';
import { verifyAgainstDummy, verifyPassword } from './passwords';

export const badCredentials = (): AppError =>
  new AppError('UNAUTHENTICATED', { zh: '用户名或密码不正确', en: 'Wrong username or password' });

export async function checkCredentials(db: Db, username: string, password: string): Promise<Principal> {
  const user = await findUserByUsername(db, username);
  if (!user) {
    await verifyAgainstDummy(password);
    throw badCredentials();
  }
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabled) throw badCredentials();
  return principalOf(db, user);
}
