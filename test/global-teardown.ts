// Stops the servers started by test/global-setup.ts.
export default async function globalTeardown(): Promise<void> {
  await globalThis.__TONGBIAO_SERVERS__?.stop();
}
