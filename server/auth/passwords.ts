// Password hashing with Argon2id (@node-rs/argon2, the library's default algorithm and parameters:
// 19 MiB memory, 2 passes — OWASP's recommended minimum). Only hashes are stored.
import { hash, verify } from '@node-rs/argon2';

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * Checks a password against a stored hash. A malformed hash counts as a mismatch rather than an error, so
 * a damaged user record cannot be used to tell accounts apart.
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/**
 * A fixed hash verified when the username does not exist, so a sign-in takes about as long whether or
 * not the account exists.
 */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash('tongbiao-no-such-user');
  await verifyPassword(await dummyHash, password);
  return false;
}
