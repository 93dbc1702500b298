#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the CLI and the web worker share one source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(
	process.argv.slice(2),
	(s) => process.stdout.write(s + '\n'),
	(s) => process.stderr.write(s + '\n')
);
process.exitCode = code;
