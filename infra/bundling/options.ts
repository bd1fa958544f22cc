import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

// How every function is bundled, said once: CDK's NodejsFunction is given these (infra/constructs/lambda.ts),
// and the bench's cold starts and the bundle test build with esbuild directly from the same object.

/** The repository root: bundling finds the lock file, the tsconfig and the aliases here whatever the working directory. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export const lambdaBundling = {
  target: 'node24',
  minify: true,
  sourcemap: true,
  // Smaller bundle; stack traces still map to file and line.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM call require(); ESM has none unless we make one.
  banner: 'import { createRequire } from "module";const require = createRequire(import.meta.url);',
  /** Resolved from the project root, as esbuild resolves aliases from its working directory. */
  alias: { '@aws-sdk/credential-provider-node': './infra/bundling/credentials-from-env.ts' },
} as const;

/** The esbuild call CDK makes for one entry (--bundle, nothing external: the SDK is bundled too). */
export const esbuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry], outfile, absWorkingDir: projectRoot, bundle: true, platform: 'node', format: 'esm',
  target: lambdaBundling.target, minify: lambdaBundling.minify, sourcemap: lambdaBundling.sourcemap,
  sourcesContent: lambdaBundling.sourcesContent, mainFields: [...lambdaBundling.mainFields],
  banner: { js: lambdaBundling.banner }, alias: { ...lambdaBundling.alias }, logLevel: 'error',
});
