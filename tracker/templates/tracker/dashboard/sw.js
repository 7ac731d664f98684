/* The therapist's service worker (scope /therapist/): shows the alerts pushed by the server
 * (urgent flags, through the same reminders pipeline as the patients' reminders) and opens the
 * patient's page when one is clicked. It caches nothing and answers no request: therapist pages
 * hold health data and are never kept on a shared clinic computer.
 */
'use strict';

const ICON = '{{ icon|escapejs }}';
const INBOX = '{{ inbox|escapejs }}';
const SCOPE = new URL(self.registration.scope).pathname;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// Only a page of this site under /therapist/ is opened; anything else opens the inbox. The
// server sends absolute links (SITE_URL), which may name another host than this browser uses.
function pageFor(data) {
  try {
    const url = new URL(data.url || '', self.location.origin);
    if (url.pathname.startsWith(SCOPE)) return url.pathname + url.search + url.hash;
  } catch (error) { /* not a URL: the inbox */ }
  return INBOX;
}

// One notification per alert, however often it is pushed: the server sends each delivery's id
// as the tag, and a second copy replaces the first silently.
self.addEventListener('push', (event) => {
  let data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
  }
  event.waitUntil(self.registration.showNotification(data.title || 'Rehab', {
    body: data.body || '',
    tag: String(data.tag || data.id || 'rehab-alert'),
    renotify: false,
    requireInteraction: data.kind === 'notification',
    icon: ICON,
    badge: ICON,
    data: { url: pageFor(data), kind: data.kind || '' }
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const wanted = new URL((event.notification.data || {}).url || INBOX, self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const same = windows.find((client) => client.url === wanted);
    if (same) return same.focus();
    return self.clients.openWindow(wanted);
  }));
});
