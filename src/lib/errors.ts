/**
 * One error model for everything a user is told: a `UserError` has a `kind` (what went wrong, for
 * code to switch on) and optional `details` (data, such as a search error's text span), and its
 * message is for people. Every error class a user may see extends it. Across the worker boundary
 * it keeps its kind and details (errors-transfer.ts), so pages never parse messages.
 */
export type ErrorKind =
	| 'input' // a file or folder that cannot be imported
	| 'snapshot' // a snapshot that cannot be opened
	| 'http' // a snapshot host that failed or misbehaved
	| 'remote' // a tracking server (details.reason: cors, auth, http, network, not-mlflow, limit, cancelled)
	| 'read-only' // a write to an open snapshot
	| 'edit' // an edit the store refuses (a duplicate name, an unsafe key)
	| 'search' // a filter or order_by that does not parse (details: start, end, field)
	| 'store-version' // a saved store newer than this Trackside
	| 'storage' // the browser's storage is full
	| 'too-big' // an import past the largest store a tab can hold
	| 'busy' // another import or pull is running
	| 'cancelled'; // the user cancelled

export class UserError extends Error {
	constructor(
		message: string,
		readonly kind: ErrorKind,
		readonly details: Record<string, unknown> = {}
	) {
		super(message);
		this.name = 'UserError';
	}
}

/** The kind of an error, if it is a user's error (on either side of the worker boundary). */
export function errorKind(e: unknown): ErrorKind | undefined {
	return e instanceof UserError ? e.kind : undefined;
}
