// Jest setup provided by Grafana scaffolding (for jsdom suites; the browser-harness suite runs
// in the node environment, where the scaffold's DOM shims have nothing to patch).
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
  // @grafana/ui's Combobox measures its option labels on a canvas; jsdom has none, and the
  // scaffold's stub returns no context. Text width by character count is enough for layout math.
  HTMLCanvasElement.prototype.getContext = function getContext() {
    return { font: '', measureText: (text) => ({ width: String(text).length * 7 }) };
  };
}
