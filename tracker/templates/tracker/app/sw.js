/* The patient app's service worker (scope /app/), version {{ version }}.
 *
 * - Keeps the app shell (styles, scripts, pictograms, icons, the offline page) in a versioned
 *   cache; a new version replaces the old cache when it takes over.
 * - Guide pictures: kept the first time they are shown, then served from the phone, so a guide
 *   opened once works without a signal.
 * - Pages: network first (after 4 s on a weak signal, the copy kept on the phone, if any), so a
 *   page opened once can be read again without a signal.
 * - Sends what the outbox kept while offline (Background Sync, or a message from a page).
 * - Shows reminders pushed by the server, with "I moved" and "Snooze 10 min" actions that call
 *   the reminders API; tapping a notification opens the page it is about.
 * API calls (POST) are never cached or answered from a cache.
 */
'use strict';
importScripts('{{ outbox_js|escapejs }}');

const VERSION = '{{ version|escapejs }}';
const SHELL = 'rehab-shell-' + VERSION;
const PAGES = 'rehab-pages';
const GUIDES = 'rehab-guides';
const GUIDE_PICTURES = '{{ guide_pictures|escapejs }}';
const OFFLINE_PAGE = '{% url "app:offline" %}';
const SHELL_ASSETS = [{% for asset in assets %}'{{ asset|escapejs }}', {% endfor %}OFFLINE_PAGE];
const STATIC_ASSETS = new Set(SHELL_ASSETS.slice(0, -1));
const ICON = '{{ icon|escapejs }}';
// The pages a patient needs most, kept from the first visit on (best effort: not when signed out).
const CORE_PAGES = ['{% url "app:today" %}', '{% url "app:checkin" %}', '{% url "app:progress" %}'];
const WEAK_SIGNAL_MS = 4000;
const PAGE_FOR_KIND = {
  stand_up: '{% url "app:today" %}',
  exercise: '{% url "app:today" %}',
  checkin: '{% url "app:checkin" %}',
  notification: '{% url "app:progress" %}'
};

function keepPage(cache, request, response) {
  // Only real pages: not a redirect to the sign-in page, not an error.
  if (response.ok && !response.redirected && response.type === 'basic') {
    return cache.put(request, response.clone()).catch(() => null).then(() => response);
  }
  return Promise.resolve(response);
}

function warmPages() {
  return caches.open(PAGES).then((cache) => Promise.all(CORE_PAGES.map((path) =>
    fetch(path, { credentials: 'same-origin' }).then((response) => keepPage(cache, path, response)).catch(() => null)
  )));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(SHELL_ASSETS))
      .then(() => warmPages())
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('rehab-shell-') && name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

// The kept copy of a page: this very URL, else the same page with other parameters (the
// 30-day view for the 90-day one, /app/ for the home-screen start URL). Pages vary by
// language and cookie; offline, the copy in the language last seen is better than none.
function keptPage(request) {
  return caches.open(PAGES).then((cache) => cache.match(request, { ignoreVary: true })
    .then((kept) => kept || cache.match(request, { ignoreSearch: true, ignoreVary: true })));
}

function networkFirst(request) {
  const network = fetch(request).then((response) => caches.open(PAGES)
    .then((cache) => keepPage(cache, request, response)));
  const weakSignal = new Promise((resolve) => {
    setTimeout(() => keptPage(request).then((kept) => { if (kept) resolve(kept); }), WEAK_SIGNAL_MS);
  });
  return Promise.race([network, weakSignal])
    .catch(() => keptPage(request).then((kept) => kept || caches.match(OFFLINE_PAGE)));
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('{% url "app:today" %}')) {
    event.respondWith(networkFirst(request));
  } else if (STATIC_ASSETS.has(url.pathname)) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  } else if (url.pathname.startsWith(GUIDE_PICTURES)) {
    event.respondWith(caches.open(GUIDES).then((cache) => cache.match(request).then((kept) => kept
      || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone()).catch(() => null);
        return response;
      }))));
  }
});

function tellPages(message) {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    .then((pages) => pages.forEach((page) => page.postMessage(message)));
}

function sendOutbox() {
  return RehabOutbox.getMeta('csrf')
    .then((csrf) => RehabOutbox.flush({ csrf: csrf || '' }))
    .then((results) => tellPages({ type: 'outbox-changed', results: results }));
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'rehab-outbox') event.waitUntil(sendOutbox());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'send-outbox') event.waitUntil(sendOutbox());
});

// --- push -------------------------------------------------------------------------------------

function pageFor(data) {
  if (data.url && data.url.charAt(0) === '/') return data.url;
  return PAGE_FOR_KIND[data.kind] || '{% url "app:today" %}';
}

// One notification per reminder, however often it is pushed: the server sends each delivery's
// id as the tag (a second copy after a crash carries the same one), and a notification with a
// tag already on screen replaces it, silently (renotify: false). Stand-ups: only the latest one
// shows; it replaces an older one, and a late copy of an older one is not shown beside it.
function dueTime(value) {
  const time = Date.parse(value || '');
  return Number.isNaN(time) ? 0 : time;
}

function makeRoomForStandUp(tag, due) {
  return self.registration.getNotifications().then((shown) => {
    const others = shown.filter((notification) => notification.tag !== tag
      && notification.data && notification.data.kind === 'stand_up');
    if (others.some((notification) => dueTime(notification.data.due) > due)) return false;
    others.forEach((notification) => notification.close());
    return true;
  });
}

function showPush(data) {
  const tag = String(data.tag || data.id || 'rehab');
  const due = dueTime(data.due_at);
  const room = data.kind === 'stand_up' ? makeRoomForStandUp(tag, due) : Promise.resolve(true);
  return Promise.all([RehabOutbox.getMeta('labels').catch(() => null), room]).then(([labels, show]) => {
    if (!show) return null;
    labels = labels || { moved: 'I moved', snooze: 'Snooze 10 min' };
    const shown = (data.actions || [])
      .filter((action) => action.action === 'moved' || action.action === 'snooze')
      .map((action) => ({ action: action.action, title: labels[action.action] || action.action }));
    return self.registration.showNotification(data.title || labels.app || 'Rehab', {
      body: data.body || '',
      tag: tag,
      renotify: false,
      icon: ICON,
      badge: ICON,
      actions: shown,
      data: { url: pageFor(data), kind: data.kind || '', due: data.due_at || '', actions: data.actions || [] }
    }).then(() => tellPages({ type: 'push-shown', kind: data.kind || '', title: data.title || '' }));
  });
}

self.addEventListener('push', (event) => {
  let data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
  }
  event.waitUntil(showPush(data));
});

// An action button calls the API the payload names; tapping the notification itself opens the
// page it is about (an open app window is reused).
function handleNotificationClick(data, action) {
  data = data || {};
  const target = action && (data.actions || []).find((item) => item.action === action);
  if (target) {
    return RehabOutbox.getMeta('csrf')
      .then((csrf) => fetch(target.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': csrf || '', Accept: 'application/json' }
      }))
      .then((response) => response.ok, () => false)
      .then((ok) => tellPages({ type: 'notification-action', action: action, ok: ok })
        .then(() => (ok ? ok : openPage('{% url "app:reminders" %}').then(() => ok))));
  }
  return openPage(pageFor(data)).then(() => true);
}

function openPage(path) {
  const wanted = new URL(path, self.location.origin).href;
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const same = windows.find((client) => client.url === wanted);
    if (same) return same.focus().catch(() => same);
    const ours = windows.find((client) => new URL(client.url).pathname.startsWith('{% url "app:today" %}'));
    if (ours && ours.navigate) {
      return ours.navigate(wanted).then((client) => (client || ours).focus().catch(() => client));
    }
    return self.clients.openWindow(wanted);
  });
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(handleNotificationClick(event.notification.data, event.action));
});
