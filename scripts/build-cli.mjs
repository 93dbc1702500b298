// Compiles the CLI into one JavaScript file, dist/trackside.js, for the npm package: no TypeScript
// loader or dev dependency at the user's side. sql.js stays a dependency (its wasm is read from it).
import { build } from 'esbuild';

await build({
	entryPoints: ['src/cli/entry.ts'],
	outfile: 'dist/trackside.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	external: ['sql.js'],
	// Bundled CommonJS modules call require(): give the ESM output one.
	banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
	logLevel: 'warning'
});
