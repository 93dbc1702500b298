#!/usr/bin/env node
// The installed package runs the compiled CLI (dist/trackside.js, scripts/build-cli.mjs); a checkout
// runs the TypeScript through tsx's loader, so the CLI and the web worker share one source.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli/entry.ts', import.meta.url))) {
	const { register } = await import('tsx/esm/api');
	register();
	await import('../src/cli/entry.ts');
} else await import('../dist/trackside.js');
