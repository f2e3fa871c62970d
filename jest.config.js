/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; here ts-jest only transpiles.
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 20000,
  // Every card the suite renders is rendered by both template engines too, and fails on a difference.
  setupFiles: ['<rootDir>/test/setup/check-templates.js'],
  reporters: ['default', '<rootDir>/test/reporters/summary-line.js'],
};
