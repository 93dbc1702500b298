/**
 * A search's answer, or the SearchError that says why its text does not parse (shown beside the
 * search box, with its span in `details`). Any other failure is thrown, for the page's LoadError.
 */
import { errorKind, type UserError } from '../errors';

export type Searched<T> = { found: T; error: null } | { found: null; error: UserError };

export async function searched<T>(search: Promise<T>): Promise<Searched<T>> {
	try {
		return { found: await search, error: null };
	} catch (e) {
		if (errorKind(e) === 'search') return { found: null, error: e as UserError };
		throw e;
	}
}
