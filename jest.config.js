// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules, see scripts/test.mjs): Nest 12 is ESM-only.
// Workspace libraries resolve to their TypeScript sources so specs never depend on a stale build.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@introeval/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    // A subpath export (`@introeval/engines/quality`) is the folder of that name with its own index.ts.
    '^@introeval/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', setupFilesAfterEnv: ['<rootDir>/tools/jest/timeout-60s.js'], testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', setupFilesAfterEnv: ['<rootDir>/tools/jest/timeout-180s.js'], testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'] },
  ],
};
