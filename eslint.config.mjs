import nx from '@nx/eslint-plugin';

const agents = ['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts', 'developer', 'librarian', 'dashboard-designer'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.tools', '**/tmp', '**/.nx'] },
  {
    // Boundaries apply to source code; per-project jest configs import the root preset by path.
    files: ['**/src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The e2e suite starts services with the same launcher people run (npm run start:distributed).
          allow: ['../../../tools/start-distributed/stack.mjs'],
          depConstraints: [
            // Layers: apps → features → data-access → util.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:data-access'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // Scopes: shared code knows no agent; an agent knows only shared code and itself, so
            // agents never import each other (they talk through AgentClient).
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...agents.map((a) => ({
              sourceTag: `scope:agent-${a}`,
              onlyDependOnLibsWithTags: ['scope:shared', `scope:agent-${a}`],
            })),
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
            { sourceTag: 'scope:ha-demo', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ha-demo'] },
            {
              sourceTag: 'scope:platform',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform', 'scope:gateway', 'scope:ha-demo', 'scope:agent-*'],
            },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform', 'scope:gateway', 'scope:ha-demo'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert presence before dereferencing; a failed `!` there fails the test anyway.
    files: ['**/*.spec.ts', '**/*.e2e.ts', '**/e2e/src/support/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
