// Tells the server whether this device prefers a dark colour scheme, so the next page is painted in the
// right colours before any script runs (a server cannot ask the device). Nothing else is kept.
const query = matchMedia('(prefers-color-scheme: dark)');
const remember = () => {
    document.cookie = `lifeos-scheme=${query.matches ? 'dark' : 'light'}; path=/; max-age=31536000; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`;
};
remember();
query.addEventListener('change', remember);
