// Sign-up proposes the device's time zone: an empty field marked data-propose-time-zone gets the browser's IANA zone,
// if the page's list offers it (an alias the server does not know is left out: the server's default applies).
// Loaded on every page by App.razor, because account pages arrive by enhanced navigation, which runs no page scripts.
import { browserTimeZone } from './time-zone.js';

function propose() {
    const zone = browserTimeZone();
    if (!zone) {
        return;
    }

    for (const input of document.querySelectorAll('input[data-propose-time-zone]')) {
        const known = input.list && [...input.list.options].some(option => option.value === zone);
        if (!input.value && known) {
            input.value = zone;
        }
    }
}

propose();
window.Blazor?.addEventListener?.('enhancedload', propose);
