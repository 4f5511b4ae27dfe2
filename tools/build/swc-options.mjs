// TypeScript → JavaScript settings shared by the app bundler and Jest, so tests run exactly the
// code shape that ships: legacy decorators with metadata (Nest's DI reads `design:paramtypes`).
export const swcTypeScriptOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};
