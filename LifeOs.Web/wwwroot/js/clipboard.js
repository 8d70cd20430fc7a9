// Copies text for a "Copy" button; false when the browser refuses (no permission, or not a secure context).
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
