import fs from 'fs';
import path from 'path';
import type { Compiler, Configuration } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

/** The repository's dashboards (one source of truth, written by the observability work). */
const DASHBOARDS_DIR = path.resolve(__dirname, '..', 'dashboards');

interface DashboardFile {
  file: string;
  title: string;
  uid?: string;
}

function dashboards(): DashboardFile[] {
  if (!fs.existsSync(DASHBOARDS_DIR)) {
    return [];
  }
  return fs
    .readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8'));
      return { file, title: String(json.title ?? file.replace(/\.json$/, '')), uid: json.uid };
    });
}

/**
 * Copies `../dashboards/*.json` into dist/dashboards/ and lists each under the app's
 * plugin.json `includes`, so Grafana offers them on the app's Dashboards tab. Runs on the
 * emitted plugin.json asset (before the scaffold's placeholder replacement on disk).
 */
class IncludeDashboardsPlugin {
  apply(compiler: Compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('IncludeDashboards', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'IncludeDashboards', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS + 1 }, () => {
        const found = dashboards();
        for (const d of found) {
          compilation.emitAsset(`dashboards/${d.file}`, new sources.RawSource(fs.readFileSync(path.join(DASHBOARDS_DIR, d.file))));
        }
        const asset = compilation.getAsset('plugin.json');
        if (!asset) {
          return;
        }
        const meta = JSON.parse(asset.source.source().toString());
        const others = (meta.includes ?? []).filter((i: { type: string }) => i.type !== 'dashboard');
        meta.includes = [...others, ...found.map((d) => ({ type: 'dashboard', name: d.title, path: `dashboards/${d.file}`, ...(d.uid ? { uid: d.uid } : {}) }))];
        compilation.updateAsset('plugin.json', new sources.RawSource(`${JSON.stringify(meta, null, 2)}\n`));
      });
    });
    for (const d of dashboards()) {
      compiler.hooks.afterCompile.tap('IncludeDashboards', (c) => void c.fileDependencies.add(path.join(DASHBOARDS_DIR, d.file)));
    }
  }
}

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return merge(base, {
    plugins: [
      new IncludeDashboardsPlugin(),
      // The scaffold copies only the app's logos; the nested datasource has its own.
      new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] }),
    ],
  });
};

export default config;
