// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const [, swcOptions] = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // d3-color (pulled in by @grafana/data) ships only `.mjs`; the scaffold's transform matches
  // `.js/.ts` only, so `.mjs` files need the same swc transform.
  transform: {
    ...base.transform,
    '^.+\\.mjs$': ['@swc/jest', swcOptions],
  },
};
