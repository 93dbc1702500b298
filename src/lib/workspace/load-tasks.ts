/**
 * The lazy chunk (tasks.ts), loaded once. A failed load (a host that dropped the connection:
 * python's http.server refuses connections past a backlog of 5) is tried again once, and not
 * cached, so a later call retries instead of failing for the rest of the session.
 */
let taskModule: Promise<typeof import('./tasks')> | undefined;

export function loadTasks(): Promise<typeof import('./tasks')> {
	return (taskModule ??= import('./tasks').catch(() => new Promise<void>((r) => setTimeout(r, 300)).then(() => import('./tasks')))).catch(
		(e: unknown) => {
			taskModule = undefined;
			throw e;
		}
	);
}
