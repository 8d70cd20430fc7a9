// LifeOs service worker. It keeps only the app shell (icons, manifest and the offline page), never a page or an
// API answer: those hold health data and journal text. Blazor's own traffic (/_blazor, /_framework) and every
// other request go straight to the network, untouched.
const CACHE = 'lifeos-shell-v1';
const SHELL = ['/offline.html', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png'];

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(key => key !== CACHE).map(key => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }

  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }

  if (request.mode === 'navigate') {
    // Pages always come from the server; only when it cannot be reached does the offline page stand in.
    event.respondWith(fetch(request).catch(() => caches.match('/offline.html')));
    return;
  }

  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then(cached => cached || fetch(request)));
  }
});

self.addEventListener('push', event => {
  let message = { title: 'LifeOs', body: '', url: '/' };
  try {
    message = Object.assign(message, event.data ? event.data.json() : {});
  } catch {
    message.body = event.data ? event.data.text() : '';
  }

  event.waitUntil(self.registration.showNotification(message.title, {
    body: message.body,
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    tag: message.url,
    data: { url: message.url },
  }));
});

// A click opens the page the message is about (a new entry of that journal kind, the goals, the integrations), in
// an open LifeOs window if there is one.
self.addEventListener('notificationclick', event => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  if (target.origin !== self.location.origin) {
    return;
  }

  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(windows => {
    const open = windows.find(w => new URL(w.url).origin === target.origin);
    if (open) {
      return open.focus().then(w => (w || open).navigate(target.href));
    }

    return self.clients.openWindow(target.href);
  }));
});
