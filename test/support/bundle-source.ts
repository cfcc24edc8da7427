// Bundles a few lines of source with the deployed functions' esbuild options (bench/bundles.ts, from
// infra/bundling.ts), unminified, so a test can read what tree-shaking left in or took out.
import { build } from 'esbuild';
import { esbuildOptions, repoRoot } from '../../bench/bundles.ts';

export const bundleSource = async (code: string): Promise<string> => {
  const result = await build({
    ...esbuildOptions('/unused'),
    minify: false,
    write: false,
    metafile: false,
    stdin: { contents: code, resolveDir: repoRoot, loader: 'ts', sourcefile: 'entry.ts' },
  });
  return result.outputFiles[0]!.text;
};
