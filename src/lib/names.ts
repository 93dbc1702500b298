/**
 * Names that become file paths: metric, param and tag keys (MLflow's FileStore writes
 * `metrics/<key>`), artifact paths. MLflow refuses a key that does not name itself as a path
 * (mlflow/utils/validation.py, path_not_unique: `posixpath.normpath(name) != name`, or `.`, or
 * starting with `..` or `/`). Such a name from an import would be written back by an export as a
 * zip entry that a naive extractor places outside its folder (`../../.bashrc`), so it is refused
 * on the way in and never written on the way out.
 */

/** posixpath.normpath, for the cases that matter here. */
function normpath(path: string): string {
	if (path === '') return '.';
	const absolute = path.startsWith('/');
	const out: string[] = [];
	for (const part of path.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
		else if (part !== '..' || !absolute) out.push(part);
	}
	const joined = out.join('/');
	return absolute ? '/' + joined : joined || '.';
}

/** Why `name` cannot be a key or an artifact path, or undefined when it can. */
export function unsafeName(name: string): string | undefined {
	if (name.includes('\u0000')) return 'it contains a NUL character';
	if (name.includes('\\')) return 'it contains a backslash, which some systems read as a folder separator';
	const norm = normpath(name);
	if (norm === '.' || norm.startsWith('..') || norm.startsWith('/')) return 'it points outside its folder';
	if (norm !== name) return `it is not a plain path (it reads as "${norm}")`;
	return undefined;
}

/** MLflow's longest param, tag and metric key (mlflow/utils/validation.py, MAX_ENTITY_KEY_LENGTH). */
export const MAX_KEY_LENGTH = 250;

/** Why `key` cannot be a param, tag or metric key (MLflow's length limit, then the path rules). */
export function keyProblem(key: string): string | undefined {
	if (key.length > MAX_KEY_LENGTH) return `it is ${key.length.toLocaleString('en-US')} characters long (MLflow allows ${MAX_KEY_LENGTH})`;
	return unsafeName(key);
}
