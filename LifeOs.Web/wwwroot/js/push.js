// Web Push for the Notifications page: subscribes this browser with the server's VAPID public key and hands the
// subscription (endpoint and keys) back to the page, which stores it.
export function isSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url) {
  const padding = '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob((base64url + padding).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, c => c.charCodeAt(0));
}

function describe() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const device = /iPhone|iPad/.test(ua) ? 'iPhone or iPad' : /Android/.test(ua) ? 'Android' : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'this device';
  return `${browser} on ${device}`;
}

export async function subscribe(vapidPublicKey) {
  if (!isSupported()) {
    return { error: 'This browser cannot receive push notifications. On an iPhone, add LifeOs to the home screen first (Share, then Add to Home Screen) and open it from there.' };
  }

  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    return { error: 'Notifications are blocked for this site. Allow them in the browser\'s site settings, then try again.' };
  }

  try {
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidPublicKey) });
    const json = subscription.toJSON();
    return { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth, label: describe() };
  } catch (e) {
    return { error: 'The browser could not subscribe (' + (e && e.message ? e.message : 'unknown reason') + ').' };
  }
}

export async function currentEndpoint() {
  if (!isSupported()) {
    return null;
  }

  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  return subscription ? subscription.endpoint : null;
}

export async function unsubscribe() {
  const registration = isSupported() ? await navigator.serviceWorker.getRegistration('/') : null;
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  if (subscription) {
    await subscription.unsubscribe();
  }
}
