/* The therapist's opt-in to alerts by Web Push on this computer (the inbox page).
 *
 * Registers the therapist's service worker (/therapist/sw.js, scope /therapist/), asks for the
 * notification permission only when the button is pressed, subscribes with the server's VAPID
 * key and registers the subscription with the server. On a shared computer the browser may
 * hold another account's subscription: turning alerts on replaces it with this therapist's.
 */
(function () {
  'use strict';

  var box = document.querySelector('[data-therapist-push]');
  if (!box) return;
  var status = box.querySelector('[data-push-status]');
  var enable = box.querySelector('[data-push-enable]');
  var disable = box.querySelector('[data-push-disable]');
  var t = box.dataset;
  var mineNode = document.getElementById('push-mine');
  var mine = mineNode ? JSON.parse(mineNode.textContent) : [];

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : '';
  }

  function show(text, on) {
    status.textContent = text;
    box.dataset.state = on ? 'on' : 'off';
    enable.hidden = !!on;
    disable.hidden = !on;
  }

  if (!t.key) return; // no VAPID key on this server: the page already says so
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    status.textContent = t.tUnsupported;
    return;
  }

  function applicationServerKey(base64url) {
    var padded = (base64url + '==='.slice((base64url.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded);
    var key = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) key[i] = raw.charCodeAt(i);
    return key;
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf(), Accept: 'application/json' },
      body: JSON.stringify(body)
    });
  }

  var ready = navigator.serviceWorker.register(t.sw, { scope: t.scope })
    .then(function () { return navigator.serviceWorker.ready; });

  ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    var on = subscription && Notification.permission === 'granted' && mine.indexOf(subscription.endpoint) !== -1;
    show(on ? t.tOn : (Notification.permission === 'denied' ? t.tBlocked : t.tOff), on);
  }).catch(function () { show(t.tUnavailable, false); });

  enable.addEventListener('click', function () {
    enable.disabled = true;
    status.textContent = t.tWorking;
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') throw new Error('blocked');
      return ready;
    }).then(function (registration) {
      return registration.pushManager.getSubscription().then(function (old) {
        // Another account's subscription on this browser (or one the server forgot): a fresh one.
        if (old && mine.indexOf(old.endpoint) === -1) return old.unsubscribe().then(function () { return null; });
        return old;
      }).then(function (old) {
        return old || registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(t.key)
        });
      });
    }).then(function (subscription) {
      var body = subscription.toJSON();
      body.user_agent = navigator.userAgent.slice(0, 300);
      return post(t.subscribe, body).then(function (response) {
        if (response.status === 409) throw new Error('taken');
        if (response.status !== 200 && response.status !== 201) throw new Error('unavailable');
        mine.push(subscription.endpoint);
        show(t.tOn, true);
      });
    }).catch(function (error) {
      var reason = error && error.message;
      show(reason === 'blocked' ? t.tBlocked : reason === 'taken' ? t.tTaken : t.tUnavailable, false);
    }).then(function () { enable.disabled = false; });
  });

  disable.addEventListener('click', function () {
    disable.disabled = true;
    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return post(t.unsubscribe, { endpoint: endpoint }).then(function () {
        mine = mine.filter(function (item) { return item !== endpoint; });
        return subscription.unsubscribe();
      });
    }).then(function () { show(t.tOff, false); }, function () { show(t.tUnavailable, true); })
      .then(function () { disable.disabled = false; });
  });
})();
