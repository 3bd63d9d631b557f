/**
 * Both plugin.json files (and the built dist/ copies, when a build is there) against our JSON
 * Schema of plugin.json (schemas/plugin-json.schema.json), transcribed from Grafana's
 * published reference: https://grafana.com/developers/plugin-tools/reference/plugin-json
 */
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import semver from 'semver';
import schema from '../schemas/plugin-json.schema.json';

const ROOT = path.resolve(__dirname, '..');
const read = (rel: string) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));
// The reference writes the id pattern with `\-`, which JSON Schema's ECMA-262 regexes accept
// but a unicode-mode RegExp (Ajv's default) refuses.
const validate = new Ajv({ allErrors: true, strict: true, unicodeRegExp: false }).compile(schema);
const problems = (json: unknown) =>
  validate(json)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message?.replace(/ ".*"$/, '')}`);

const SOURCES = ['src/plugin.json', 'src/datasource/plugin.json'];
const BUILT = ['dist/plugin.json', 'dist/datasource/plugin.json'].filter((f) => existsSync(path.join(ROOT, f)));

describe("plugin.json against the schema of Grafana's plugin.json reference", () => {
  it.each([...SOURCES, ...BUILT])('%s is valid', (file) => {
    expect(problems(read(file))).toEqual([]);
  });

  it.each([...SOURCES, ...BUILT])('%s asks for a Grafana version range node-semver reads', (file) => {
    expect(semver.validRange(read(file).dependencies.grafanaDependency)).not.toBeNull();
  });

  it('the app includes its datasource, and both reach the engine through a token route', () => {
    const app = read('src/plugin.json');
    const ds = read('src/datasource/plugin.json');
    expect(app.includes).toContainEqual({ type: 'datasource', name: ds.name });
    for (const route of [...app.routes, ...ds.routes]) {
      expect(route.url).toBe('{{ .JsonData.engineUrl }}');
      expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.engineToken }}' }]);
    }
    // Reading is for Viewers; changing anything needs an Editor.
    expect(
      Object.fromEntries(app.routes.map((r: { method: string; reqRole: string }) => [r.method, r.reqRole]))
    ).toEqual({ GET: 'Viewer', POST: 'Editor', DELETE: 'Editor' });
  });

  if (BUILT.length) {
    it('the build replaced every placeholder and listed the dashboards it copied', () => {
      const app = readFileSync(path.join(ROOT, 'dist/plugin.json'), 'utf8');
      expect(app).not.toMatch(/%[A-Z_]+%/);
      for (const d of JSON.parse(app).includes.filter((i: { type: string }) => i.type === 'dashboard')) {
        expect(existsSync(path.join(ROOT, 'dist', d.path))).toBe(true);
      }
    });
  }

  describe('refuses a broken plugin.json', () => {
    const app = () => read('src/plugin.json');
    it.each([
      ['an id outside the naming pattern', (j: any) => (j.id = 'Scale_LB-app'), '/id must match pattern'],
      ['an unknown type', (j: any) => (j.type = 'widget'), '/type must be equal to one of the allowed values'],
      ['no dependencies', (j: any) => delete j.dependencies, "/ must have required property 'dependencies'"],
      [
        'no grafanaDependency',
        (j: any) => delete j.dependencies.grafanaDependency,
        "/dependencies must have required property 'grafanaDependency'",
      ],
      [
        'a grafanaDependency that is not a range',
        (j: any) => (j.dependencies.grafanaDependency = 'latest'),
        '/dependencies/grafanaDependency must match pattern',
      ],
      [
        'a logo that is not SVG',
        (j: any) => (j.info.logos.small = 'img/logo.png'),
        '/info/logos/small must match pattern',
      ],
      ['no version', (j: any) => delete j.info.version, "/info must have required property 'version'"],
      [
        'an include role Grafana does not have',
        (j: any) => (j.includes[0].role = 'Owner'),
        '/includes/0/role must be equal to one of the allowed values',
      ],
      [
        'an unknown include field',
        (j: any) => (j.includes[0].hidden = true),
        '/includes/0 must NOT have additional properties',
      ],
      [
        'a route header without content',
        (j: any) => delete j.routes[0].headers[0].content,
        "/routes/0/headers/0 must have required property 'content'",
      ],
      [
        'an unknown route field',
        (j: any) => (j.routes[0].timeout = 5),
        '/routes/0 must NOT have additional properties',
      ],
      ['an unknown top-level field', (j: any) => (j.backendBinary = 'scale'), '/ must NOT have additional properties'],
    ])('%s', (_what, breakIt, expected) => {
      const j = app();
      breakIt(j);
      expect(problems(j)).toContain(expected);
    });
  });
});
