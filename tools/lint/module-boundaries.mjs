// The module boundaries, in one place: eslint.config.mjs applies them and tools/lint/module-boundaries.spec.ts proves
// they bite. Nx reads each project's tags from its package.json (`nx.tags`).
//
// Layers run one way: foundation <- adapters <- pipeline <- apps. Test support (scope:testing) may be imported only
// by test code: specs, fixtures, benchmarks and the e2e project.

/** Files that are test code: they alone may import scope:testing libraries. */
export const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.fixture.ts', 'e2e/**/*.ts', 'bench/**/*.ts'];

function layers(extra) {
  const may = (...tags) => [...tags, ...extra];
  return [
    // Vocabulary, configuration and telemetry: no I/O of their own, depend on nothing of ours.
    { sourceTag: 'layer:foundation', onlyDependOnLibsWithTags: may('layer:foundation') },
    // Each owns one kind of I/O (NATS, processes, HTTP engines, media, storage, lease, residency).
    { sourceTag: 'layer:adapter', onlyDependOnLibsWithTags: may('layer:foundation', 'layer:adapter') },
    // Stage running and worker lifecycle, over the adapters.
    { sourceTag: 'layer:pipeline', onlyDependOnLibsWithTags: may('layer:foundation', 'layer:adapter') },
    // Test support sits beside the adapters: it starts real servers and stand-ins, never the pipeline.
    { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: may('layer:foundation', 'layer:adapter') },
    // Apps talk only through NATS: they depend on libs, never on each other (DESIGN.md, "Services").
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  ];
}

const boundaries = (depConstraints) => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }];

/** `@nx/enforce-module-boundaries` for production code: the layers. */
export const productionBoundaries = boundaries(layers([]));
/** The same for test code, which may also use test support. */
export const testBoundaries = boundaries(layers(['scope:testing']));

/**
 * Production code may not import test support. This is a per-file rule, not an Nx tag constraint: Nx's
 * `notDependOnLibsWithTags` follows the project graph transitively, and the graph counts spec imports, so every
 * project whose specs use the harness would taint everything that imports it.
 */
export const noTestSupport = [
  'error',
  {
    patterns: [
      {
        group: ['@introeval/testing', '@introeval/testing/*'],
        message: 'scope:testing is for specs, fixtures, benchmarks and e2e only (tools/lint/module-boundaries.mjs).',
      },
    ],
  },
];
