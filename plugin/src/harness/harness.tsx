/**
 * The browser harness: the real app pages outside Grafana. Grafana's services the pages use are
 * provided the way Grafana provides them: `setBackendSrv` with a fetch-based implementation (the
 * harness server plays Grafana's plugin proxy and adds the engine token), the Grafana theme
 * through ThemeContext with Grafana's GlobalStyles, and a nav built from plugin.json `includes`, as Grafana's side menu is.
 */
import React, { Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { Observable } from 'rxjs';
import { createTheme, PluginType, type AppPluginMeta, type AppRootProps } from '@grafana/data';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { GlobalStyles, LoadingPlaceholder, ThemeContext } from '@grafana/ui';
import App from '../components/App/App';
import AppConfig from '../components/AppConfig/AppConfig';
import pluginJson from '../plugin.json';

declare global {
  interface Window {
    __grafana_public_path__?: string;
    /** The engine URL the harness server proxies to (what the app's settings would hold). */
    __harnessEngineUrl?: string;
  }
}
window.__grafana_public_path__ = '/public/';

function fetchObservable<T>(req: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable((sub) => {
    const ctrl = new AbortController();
    const qs = req.params ? `?${new URLSearchParams(req.params as Record<string, string>)}` : '';
    const url = `/${req.url.replace(/^\//, '')}${qs}`;
    fetch(url, {
      method: req.method ?? 'GET',
      headers: req.data !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: req.data !== undefined ? JSON.stringify(req.data) : undefined,
      signal: ctrl.signal,
    })
      .then(async (res) => {
        const text = await res.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          // CSV and other text answers stay text
        }
        const out = {
          data,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          headers: res.headers,
          redirected: false,
          type: res.type,
          url,
          config: req,
        } as FetchResponse<T>;
        if (res.ok) {
          sub.next(out);
          sub.complete();
        } else {
          // The shape Grafana's backendSrv rejects with (isFetchError).
          sub.error({ status: res.status, statusText: res.statusText, data, config: req });
        }
      })
      .catch((e) => sub.error({ status: 0, statusText: String(e), data: {}, config: req }));
    return () => ctrl.abort();
  });
}

setBackendSrv({ fetch: fetchObservable } as unknown as BackendSrv);

const meta = {
  id: pluginJson.id,
  name: pluginJson.name,
  type: PluginType.app,
  enabled: true,
  pinned: true,
  jsonData: { engineUrl: window.__harnessEngineUrl ?? '' },
  secureJsonFields: { engineToken: true },
  info: pluginJson.info,
  module: '',
  baseUrl: '',
} as unknown as AppPluginMeta;

const theme = createTheme({ colors: { mode: 'dark' } });
const nav = pluginJson.includes
  .filter((i) => i.type === 'page' && i.path)
  .map((i) => ({ name: i.name, path: i.path!.replace('%PLUGIN_ID%', pluginJson.id) }));

function Shell() {
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: '180px 1fr',
        minHeight: '100vh',
        background: theme.colors.background.canvas,
        color: theme.colors.text.primary,
        fontFamily: theme.typography.fontFamily,
        fontSize: theme.typography.fontSize,
      }}
    >
      <nav
        aria-label="Scale"
        style={{
          padding: 16,
          borderRight: `1px solid ${theme.colors.border.weak}`,
          background: theme.colors.background.primary,
        }}
      >
        <div style={{ fontWeight: 600, marginBottom: 12 }}>Scale (test harness)</div>
        {nav.map((n) => (
          <div key={n.path} style={{ margin: '8px 0' }}>
            <Link to={n.path} style={{ color: theme.colors.text.link }}>
              {n.name}
            </Link>
          </div>
        ))}
      </nav>
      <main style={{ padding: 24, minWidth: 0 }}>
        <Suspense fallback={<LoadingPlaceholder text="Loading…" />}>
          <Routes>
            <Route
              path={`/a/${pluginJson.id}/*`}
              element={<App {...({ meta, basename: `/a/${pluginJson.id}` } as unknown as AppRootProps)} />}
            />
            <Route path={`/plugins/${pluginJson.id}`} element={<AppConfig plugin={{ meta } as never} query={{}} />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    {/* Grafana's own page-wide styles (box sizing, forms, fieldsets, typography), as in Grafana. */}
    <GlobalStyles />
    <BrowserRouter>
      <Shell />
    </BrowserRouter>
  </ThemeContext.Provider>
);
