/**
 * Runs-table column widths, kept per experiment in this browser's localStorage: a layout
 * preference, not view state, so not in the URL.
 */
export class ColumnWidths {
	widths = $state<Record<string, number>>({});

	constructor(experimentId: () => string) {
		$effect(() => {
			try {
				this.widths = JSON.parse(localStorage.getItem(key(experimentId())) ?? '{}');
			} catch {
				this.widths = {};
			}
		});
		this.resize = (column, width) => {
			this.widths = { ...this.widths, [column]: width };
			localStorage.setItem(key(experimentId()), JSON.stringify(this.widths));
		};
	}

	resize: (column: string, width: number) => void;
}

const key = (experimentId: string) => `trackside:column-widths:${experimentId}`;
