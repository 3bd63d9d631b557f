// Jest setup provided by Grafana scaffolding (for jsdom suites; the browser-harness suite runs
// in the node environment, where the scaffold's DOM shims have nothing to patch).
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
