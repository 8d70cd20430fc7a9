// Registers the service worker (app shell, offline page, push notifications) on every page.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => { /* not installable here (plain http on another host): the app works without it */ });
  });
}
