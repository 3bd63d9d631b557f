import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** Paths of the app's pages below PLUGIN_BASE_URL (the nav entries of plugin.json). */
export enum ROUTES {
  LoadTest = 'load-test',
  Live = 'live',
  Results = 'results',
  Control = 'control',
  Simulator = 'simulator',
}

/** The engine through Grafana's plugin proxy: the `engine` route of plugin.json adds the token server-side. */
export const ENGINE_PROXY_BASE = `api/plugin-proxy/${pluginJson.id}/engine`;

/** Live pages refresh this often (the engine's window is 1 s). */
export const POLL_MS = 1000;

/** The verdict threshold drawn on balance charts (the engine's default `thresholds.balance`). */
export const BALANCE_LINE = 0.95;

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** The balancer's modes, as the Load test and Simulator pages offer them. */
export const MODE_OPTIONS = [
  { value: 'l7', label: 'L7' },
  { value: 'l4', label: 'L4' },
] as const;
