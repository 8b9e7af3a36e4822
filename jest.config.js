// Jest runs TypeScript through SWC; the real servers come from test/global-setup.ts.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  // Some Yjs/lib0 and ProseMirror ESM files are pulled through their "require" exports; nothing to transform there.
  transformIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/retry-once.ts'],
  reporters: ['default', '<rootDir>/test/support/retry-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
