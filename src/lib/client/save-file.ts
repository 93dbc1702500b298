/**
 * Hands bytes to the browser as a download. The link is in the document while it is clicked
 * (Firefox ignores a click on a detached one), and its URL is released a while later, not at
 * once: the download may start after this returns.
 */
export function saveFile(data: Blob, filename: string): void {
	const a = document.createElement('a');
	a.href = URL.createObjectURL(data);
	a.download = filename;
	a.hidden = true;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
