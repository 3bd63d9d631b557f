import { build, stop } from 'esbuild';
import path from 'path';

/** Bundles the harness (the real pages) for the browser with esbuild: a few seconds, no webpack. */
export async function bundleHarness(outDir: string): Promise<void> {
  await build({
    entryPoints: { harness: path.join(__dirname, 'harness.tsx') },
    bundle: true,
    outdir: outDir,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    jsx: 'transform',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
    minify: false,
    sourcemap: false,
    logLevel: 'error',
  });
  // esbuild keeps a service child process alive for further builds; jest would wait on it.
  await stop();
}
