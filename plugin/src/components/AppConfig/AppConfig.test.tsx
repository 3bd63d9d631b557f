import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType, type AppPluginMeta } from '@grafana/data';
import { FAILURE_CASES, mockEngine, Reply, type EngineMock } from '../../test/engine-mock';
import { summary } from '../../test/fixtures';
import AppConfig, { browserPage, type AppSettings } from './AppConfig';

let engine: EngineMock;
let reload: jest.Mock;

const meta = (o: Partial<AppPluginMeta<AppSettings>> = {}) =>
  ({
    id: 'scale-lbtester-app',
    name: 'Scale',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData: { engineUrl: 'http://127.0.0.1:8000' },
    secureJsonFields: { engineToken: true },
    ...o,
  }) as AppPluginMeta<AppSettings>;
const renderConfig = (m = meta()) => render(<AppConfig plugin={{ meta: m } as never} query={{}} />);

beforeEach(() => {
  reload = jest.fn();
  browserPage.reload = reload;
  engine = mockEngine({
    'GET /health': { status: 'ok', version: '0.1.0', uptime: 42, runningTests: 1 },
    'GET /api/results': { items: [summary()], total: 1, limit: 1, offset: 0 },
  });
});

describe('Configuration', () => {
  it('tests the connection through the proxy: /health and one data route (the token)', async () => {
    renderConfig();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(
      await screen.findByText(/Scale engine 0\.1\.0, up 42 s, 1 test\(s\) running; the token is accepted/)
    ).toBeInTheDocument();
    expect(engine.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /health', 'GET /api/results']);
  });

  it.each(FAILURE_CASES)('shows "$title" when the connection test meets $name', async ({ reply, title }) => {
    // /health needs no token: a 401 shows up on the data route.
    engine.use(reply.status === 401 ? { 'GET /api/results': reply } : { '* *': reply });
    renderConfig();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.queryByText('Connected')).not.toBeInTheDocument();
  });

  it('saves the URL to jsonData and the token to secureJsonData, then reloads', async () => {
    const saved = mockEngine({ 'POST /api/plugins/scale-lbtester-app/settings': {} }, '');
    renderConfig(meta({ secureJsonFields: {} }));
    fireEvent.change(screen.getByLabelText(/^Engine URL/), { target: { value: 'http://scale-engine:8000/' } });
    fireEvent.change(screen.getByLabelText(/^Engine token/), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(saved.calls[0].body).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { engineUrl: 'http://scale-engine:8000' },
      secureJsonData: { engineToken: 's3cret' },
    });
  });

  it('keeps a stored token untouched when it was not retyped', async () => {
    const saved = mockEngine({ 'POST /api/plugins/scale-lbtester-app/settings': {} }, '');
    renderConfig();
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(saved.calls[0].body).not.toHaveProperty('secureJsonData.engineToken');
  });

  it('refuses an engine URL that is not http(s), next to the field', () => {
    renderConfig();
    fireEvent.change(screen.getByLabelText(/^Engine URL/), { target: { value: 'scale-engine:8000' } });
    expect(screen.getByRole('alert')).toHaveTextContent('an http:// or https:// URL');
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it("shows Grafana's answer when saving fails", async () => {
    mockEngine(
      { 'POST /api/plugins/scale-lbtester-app/settings': new Reply(403, { message: 'Permission denied' }) },
      ''
    );
    renderConfig();
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Permission denied')).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });

  it('says the app is not enabled yet (first visit)', () => {
    renderConfig(meta({ enabled: false, jsonData: {} }));
    expect(screen.getByText('The app is not enabled yet')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Engine URL/)).toHaveValue('http://127.0.0.1:8000');
  });
});
