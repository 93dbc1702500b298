/** A user action that may be refused: runs it and keeps the reason to show, or clears it. */
export class Action {
	error = $state('');
	run = async (f: () => Promise<unknown>): Promise<void> => {
		try {
			await f();
			this.error = '';
		} catch (e) {
			this.error = (e as Error).message;
		}
	};
}
