/** The CLI's process entry: arguments in, lines out, the exit code (main.ts does the work). */
import { main } from './main';

process.exitCode = await main(
	process.argv.slice(2),
	(s) => process.stdout.write(s + '\n'),
	(s) => process.stderr.write(s + '\n')
);
