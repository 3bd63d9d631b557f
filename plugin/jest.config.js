// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const path = require('path');
const base = require('./.config/jest.config');
const [, swcOptions] = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    // The scaffold's mock backtracks for seconds on inline SVG documents (EmptyState's images).
    'react-inlinesvg': path.resolve(__dirname, 'src', 'test', 'react-inlinesvg-mock.tsx'),
  },
  // d3-color (pulled in by @grafana/data) ships only `.mjs`; the scaffold's transform matches
  // `.js/.ts` only, so `.mjs` files need the same swc transform.
  // A page test renders @grafana/ui forms in jsdom: seconds each on a loaded 2-core machine.
  testTimeout: 20000,
  transform: {
    ...base.transform,
    '^.+\\.mjs$': ['@swc/jest', swcOptions],
  },
};
