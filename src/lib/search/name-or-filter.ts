/**
 * What a list's search box sends: MLflow's filter grammar when the text looks like a clause (it
 * has a comparator or LIKE / IS), else a case-insensitive name search, as MLflow's UI does for
 * experiments and models.
 */
export function nameOrFilter(text: string): string {
	const q = text.trim();
	if (!q) return '';
	if (/[=<>!]|\b(LIKE|ILIKE|IS)\b/i.test(q)) return q;
	return `name ILIKE '%${q.replace(/'/g, "''")}%'`;
}
