/**
 * Comlink's default throw handler sends an Error as its message, name and stack: the class, and so
 * a UserError's kind and details, were lost, and pages had to guess from the message text. This
 * handler sends a UserError whole and rebuilds it on the other side; other errors go as before.
 * Imported by the worker and by the page (each registers it in its own Comlink).
 */
import * as Comlink from 'comlink';
import { UserError, type ErrorKind } from './errors';

interface Thrown {
	value: unknown;
}
type Serialized =
	| { user: { message: string; kind: ErrorKind; details: Record<string, unknown> } }
	| { error: { message: string; name: string; stack?: string } }
	| { value: unknown };

const original = Comlink.transferHandlers.get('throw')!;

Comlink.transferHandlers.set('throw', {
	canHandle: (v: unknown): v is Thrown => original.canHandle(v),
	serialize(thrown: unknown) {
		const { value } = thrown as Thrown;
		if (value instanceof UserError) {
			// Details are plain data by contract; structured clone carries them.
			return [{ user: { message: value.message, kind: value.kind, details: value.details } } satisfies Serialized, []];
		}
		if (value instanceof Error)
			return [{ error: { message: value.message, name: value.name, stack: value.stack } } satisfies Serialized, []];
		return [{ value } satisfies Serialized, []];
	},
	deserialize(data: unknown) {
		const d = data as Serialized;
		if ('user' in d) throw new UserError(d.user.message, d.user.kind, d.user.details);
		if ('error' in d) throw Object.assign(new Error(d.error.message), { name: d.error.name, stack: d.error.stack });
		throw d.value;
	}
});
