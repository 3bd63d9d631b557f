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
if (typeof window !== 'undefined') {
  // findBy*/waitFor give up after 1 s by default; on a loaded 2-core CI machine a page's first
  // answers can take longer. A real failure still fails, only later.
  require('@testing-library/react').configure({ asyncUtilTimeout: 5000 });
}
// i18next (inside @grafana/i18n) advertises itself on console.info at every init.
const info = console.info;
console.info = (...args) => (String(args[0]).includes('i18next is made possible') ? undefined : info(...args));
