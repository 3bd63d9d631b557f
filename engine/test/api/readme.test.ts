import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { call, startTestEngine, type TestEngine } from '../helpers/test-engine.js';
import { headingAnchors, repoPath } from '../observability/repo.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

const readme = () => readFileSync(repoPath('README.md'), 'utf8');

/**
 * The routes named in the README's "HTTP API" table, as `METHOD /path` (query and optional parts
 * dropped; the WebSocket as the GET that upgrades, as the OpenAPI document lists it).
 */
function readmeRoutes(markdown: string): string[] {
  const section = markdown.split(/^## HTTP API$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  const routes: string[] = [];
  for (const row of rows) {
    const first = row.split(' | ')[0];
    for (const m of first.matchAll(/`(GET|POST|DELETE|PUT|PATCH|WS) ([^`]+)`/g)) routes.push(`${m[1] === 'WS' ? 'GET' : m[1]} ${m[2].replace(/\[.*$|\?.*$/, '')}`);
  }
  return routes.sort();
}

describe('README', () => {
  it("the HTTP API table names exactly the routes of /openapi.json", async () => {
    const doc = (await call(t.url, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const documented = readmeRoutes(readme());
    expect(documented.length).toBeGreaterThan(20);
    expect(documented).toEqual(served);
  });

  it('every internal link points at a heading', () => {
    const text = readme();
    const anchors = headingAnchors(text);
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });
});
