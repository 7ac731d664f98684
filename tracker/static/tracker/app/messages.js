/* The patient's composer (/app/messages/): a message goes through the phone's outbox like a
 * session (outbox.js), with its own Idempotency-Key, so one written without a signal waits on the
 * phone and is sent once when the signal returns. Without JavaScript the form posts as usual.
 */
(function () {
  'use strict';

  function start() {
    var form = document.querySelector('form[data-message-form]');
    var Outbox = window.RehabOutbox;
    if (!form || !Outbox) return;
    var list = document.querySelector('.conversation');

    function csrf() {
      var meta = document.querySelector('meta[name="csrf-token"]');
      return meta ? meta.content : '';
    }

    function showWaiting(record) {
      if (!list || list.querySelector('[data-waiting="' + record.key + '"]')) return;
      var empty = list.querySelector('.empty');
      if (empty) empty.remove();
      var item = document.createElement('li');
      item.className = 'msg mine waiting';
      item.dataset.waiting = record.key;
      var meta = document.createElement('p');
      meta.className = 'meta';
      var who = document.createElement('strong');
      who.textContent = form.dataset.tYou;
      meta.appendChild(who);
      meta.appendChild(document.createTextNode(' · '));
      var state = document.createElement('span');
      state.dataset.state = '';
      state.textContent = record.state === 'failed' ? form.dataset.tFailed + ' ' + (record.error || '') : form.dataset.tWaiting;
      meta.appendChild(state);
      var body = document.createElement('p');
      body.className = 'body';
      body.textContent = record.body.body;
      item.appendChild(meta);
      item.appendChild(body);
      list.appendChild(item);
    }

    function send() {
      return Outbox.flush({ csrf: csrf() }).then(function (results) {
        var sent = results.some(function (r) { return r.record.kind === 'message' && r.outcome === 'sent'; });
        if (sent) window.location.replace(window.location.pathname + '?sent=1#latest');
        return results;
      }).catch(function () { return []; });
    }

    function aboutOf(value) {
      if (!value) return null;
      var parts = value.split(':');
      return { kind: parts[0], id: parts.slice(1).join(':') };
    }

    form.addEventListener('submit', function (event) {
      var text = form.querySelector('[name="body"]');
      if (!text.value.trim()) return;  // the browser's own "required" message
      event.preventDefault();
      var about = aboutOf(form.querySelector('[name="about"]').value);
      var body = { body: text.value };
      if (about) body.about = about;
      Outbox.add({ kind: 'message', url: form.dataset.api, body: body, label: text.value.slice(0, 40) })
        .then(function (record) {
          text.value = '';
          showWaiting(record);
          if (navigator.serviceWorker && navigator.serviceWorker.ready) {
            navigator.serviceWorker.ready.then(function (registration) {
              if (registration.sync) return registration.sync.register('rehab-outbox');
            }).catch(function () {});
          }
          return send();
        }, function () {
          // No outbox on this phone (private mode): a plain post, keyed so a double tap stores one.
          form.querySelector('[data-client-key]').value = Outbox.newKey();
          form.submit();
        });
    });

    Outbox.all().then(function (records) {
      records.filter(function (r) { return r.kind === 'message'; }).forEach(showWaiting);
    }).catch(function () {});
    window.addEventListener('online', send);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener('message', function (event) {
        var message = event.data || {};
        if (message.type !== 'outbox-changed') return;
        var sent = (message.results || []).some(function (r) { return r.record.kind === 'message' && r.outcome === 'sent'; });
        if (sent) window.location.replace(window.location.pathname + '?sent=1#latest');
      });
    }
  }

  // Deferred, and before outbox.js in the page: start once every deferred script has run.
  if (document.readyState === 'complete') start();
  else document.addEventListener('DOMContentLoaded', start);
})();
