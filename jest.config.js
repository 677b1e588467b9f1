// Jest 30 cannot require NestJS 12's ESM on Node < 24.9, so swc compiles both our TypeScript
// and the ESM packages to CommonJS (see STACK.md).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const swcJs = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  transform: { '^.+\\.ts$': swc, '^.+\\.[cm]?js$': swcJs },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@electric-sql|file-type)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // Our sources import './x.js' (nodenext); under Jest resolve that to x.ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};
module.exports = {
  // testTimeout is a global option: inside a project entry Jest ignores it.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // One template migrated per run, one copy of it per file (test/setup/e2e-environment.ts).
      testEnvironment: '<rootDir>/test/setup/e2e-environment.ts',
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
