/** Runs the `trackside` CLI in-process, as the specs do: exit code, stdout and stderr. */
import { main } from '../../cli/main';

export async function cli(...argv: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await main(
		argv,
		(s) => (stdout += s + '\n'),
		(s) => (stderr += s + '\n')
	);
	return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
