/* The patient pages, enhanced. Without this script every form still posts to the server.
 *
 * With it: "Done" and the check-in go to the API through the phone's outbox (outbox.js), so they
 * survive a lost signal and are sent once when it returns; the page shows what is waiting to
 * send; an urgent answer brings up the full-screen instruction to seek emergency care; and the
 * service worker is registered for offline use and push notifications.
 */
(function () {
  'use strict';
  var app = document.querySelector('[data-app]');
  if (!app || !window.RehabOutbox) return;
  var Outbox = window.RehabOutbox;
  var text = app.dataset;
  var checkinKey = null;
  var FLASH_KEY = 'rehab-flash';

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  var keepNote = false;  // a raised flag's note stays until the patient leaves the page

  function say(message) {
    var note = document.querySelector('[data-offline-note]');
    if (!note || (keepNote && !message)) return;
    keepNote = false;
    note.textContent = message;
    note.hidden = !message;
  }

  function sayRaised() {
    var note = document.querySelector('[data-offline-note]');
    if (!note) return;
    note.textContent = text.tRaised + ' ';
    var link = document.createElement('a');
    link.href = text.thanksUrl;
    link.textContent = text.tRaisedLink;
    note.appendChild(link);
    note.hidden = false;
    keepNote = true;
  }

  // --- the emergency screen (CLINICAL.md §4a, §6) ------------------------------------------------
  // The page holds its whole text (rendered by the server into #emergency, in the patient's
  // language, with the numbers to call), so it shows at once, with or without signal.

  function urgentAnswers(body) {
    var answers = [];
    if (body.bowel_bladder_change) answers.push('bowel_bladder_change');
    if (body.saddle_numbness) answers.push('saddle_numbness');
    if (body.can_walk_on_heels === false) answers.push('cannot_walk_on_heels');
    if (body.can_walk_on_toes === false) answers.push('cannot_walk_on_toes');
    return answers;
  }

  function emergencyStatus(which) {
    var screen = document.getElementById('emergency');
    var status = screen && screen.querySelector('[data-emergency-status]');
    if (status && screen.dataset[which]) status.textContent = screen.dataset[which];
  }

  function showEmergency(answers, which) {
    var screen = document.getElementById('emergency');
    if (!screen) return;
    var reasons = screen.querySelector('[data-emergency-reasons]');
    screen.querySelectorAll('[data-reason]').forEach(function (item) {
      item.hidden = answers.indexOf(item.dataset.reason) < 0;
    });
    if (reasons) reasons.hidden = answers.length === 0;
    emergencyStatus(which || 'tTold');
    if (!screen.hidden) return;
    screen.hidden = false;
    screen.focus();
  }

  function emergencyHide() {
    var screen = document.getElementById('emergency');
    if (screen) screen.hidden = true;
  }

  function emergencyShown() {
    var screen = document.getElementById('emergency');
    return !!(screen && !screen.hidden);
  }

  // --- what is waiting to send ------------------------------------------------------------------

  function renderOutbox() {
    return Outbox.all().then(function (records) {
      var box = document.getElementById('outbox');
      var list = box && box.querySelector('[data-outbox-list]');
      if (!list) return records;
      list.textContent = '';
      records.forEach(function (record) {
        var item = document.createElement('li');
        item.dataset.key = record.key;
        var when = new Date(record.createdAt);
        var label = record.label + ' · ' + when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        if (record.state === 'failed') {
          item.className = 'failed';
          item.textContent = label + ' — ' + text.tFailed + ': ' + (record.error || '') + ' ';
          var drop = document.createElement('button');
          drop.type = 'button';
          drop.className = 'secondary';
          drop.textContent = text.tRemove;
          drop.addEventListener('click', function () { Outbox.remove(record.key).then(renderOutbox); });
          item.appendChild(drop);
        } else {
          item.textContent = label + ' — ' + text.tWaiting;
        }
        list.appendChild(item);
      });
      box.hidden = records.length === 0;
      document.querySelectorAll('[data-item]').forEach(function (card) {
        var waiting = records.some(function (record) {
          return record.kind === 'session' && record.state === 'waiting' && record.body.item === card.dataset.item;
        });
        card.classList.toggle('is-pending', waiting);
        if (waiting) card.querySelector('[data-status]').textContent = text.tWaiting;
      });
      return records;
    }).catch(function () { return []; });
  }

  function markDone(itemId, session) {
    var card = document.querySelector('[data-item="' + itemId + '"]');
    if (!card) return;
    var undo = card.querySelector('form[data-undo-form]');
    if (undo && session && session.id) {
      // "Undo the last one" now takes back this session (a plain form post, JS or not).
      undo.action = '/app/sessions/' + session.id + '/undo/';
      undo.hidden = false;
    }
    var done = parseInt(card.dataset.doneToday || '0', 10) + 1;
    var perDay = parseInt(card.dataset.perDay || '1', 10);
    card.dataset.doneToday = String(done);
    card.classList.remove('is-pending');
    card.querySelector('[data-status]').textContent = '✓ ' + text.tDone + (done > 1 ? ' (' + done + '×)' : '');
    if (done === perDay && !card.classList.contains('is-done')) {
      card.classList.add('is-done');
      var counter = document.querySelector('[data-day-done]');
      var bar = document.querySelector('[data-day-progress]');
      if (counter) counter.textContent = String(parseInt(counter.textContent, 10) + 1);
      if (bar) bar.value = bar.value + 1;
    }
  }

  function onResult(record, outcome, data) {
    if (outcome === 'sent' && record.kind === 'session') markDone(record.body.item, data);
    if (outcome === 'sent' && record.kind === 'checkin') {
      if ((data && data.seek_emergency_care) || (record.key === checkinKey && emergencyShown())) {
        // The therapist has it now; the screen stays until the patient leaves it.
        showEmergency(urgentAnswers(record.body), 'tTold');
      } else if (record.key === checkinKey) {
        try { window.localStorage.removeItem(WALK_KEY); } catch (error) { /* private mode */ }
        window.location.assign(text.thanksUrl);
      } else if (data && (data.flags || []).some(function (flag) { return flag.severity === 'high' || flag.severity === 'medium'; })) {
        // Sent later, from another page: the patient still hears that it raised something.
        sayRaised();
      } else {
        say(text.tSent);
      }
    }
    if (outcome === 'failed' && record.key === checkinKey && checkinForm) {
      // Refused (a date the server does not accept, say): the page's own form post shows why,
      // next to the questions, in the page's language.
      Outbox.remove(record.key).then(function () { checkinForm.submit(); });
    }
    if (outcome === 'auth') say(text.tSignin);
    if ((outcome === 'later' || outcome === 'auth') && record.key === checkinKey && emergencyShown()) {
      emergencyStatus('tOffline');
    }
  }

  function send() {
    return Outbox.flush({ csrf: csrf(), onResult: onResult }).then(function (results) {
      var stuck = results.some(function (result) { return result.outcome === 'later'; });
      if (stuck) say(text.tOffline);
      else if (!results.some(function (result) { return result.outcome === 'auth'; })) say('');
      return renderOutbox();
    }, renderOutbox);
  }

  function keep(record) {
    return Outbox.add(record).then(function () {
      // Background Sync lets the service worker send it even if this page is closed first.
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) return registration.sync.register('rehab-outbox');
        }).catch(function () {});
      }
      return renderOutbox();
    }).then(function () {
      if (!navigator.onLine) say(text.tOffline);
      return send();
    });
  }

  // --- "Done" --------------------------------------------------------------------------------------

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function number(form, name) {
    var field = form.querySelector('[name="' + name + '"]');
    if (!field || field.value === '') return null;
    return parseInt(field.value, 10);
  }

  // A second "Done" on the same item within a minute asks first (again.js; the server asks the
  // same question when the form is posted without JavaScript).
  var Again = window.RehabAgain;

  document.querySelectorAll('form[data-session-form]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (Again && Again.recent(form.closest('[data-item]'))) {
        Again.ask(form.dataset.label).then(function (yes) { if (yes) logSession(form); });
      } else {
        logSession(form);
      }
    });
  });

  function logSession(form) {
    (function () {
      var card = form.closest('[data-item]');
      if (card) card.dataset.lastLogged = new Date().toISOString();
      var body = { item: field(form, 'item').value, performed_at: new Date().toISOString() };
      ['sets', 'reps', 'minutes', 'pain_during'].forEach(function (name) {
        var value = number(form, name);
        if (value !== null) body[name] = value;
      });
      var difficulty = field(form, 'difficulty');
      if (difficulty && difficulty.value) body.difficulty = difficulty.value;
      var details = form.querySelector('details');
      if (details) details.open = false;
      keep({ kind: 'session', url: '/api/v1/sessions/', body: body, label: form.dataset.label })
        .catch(function () { form.submit(); });
    })();
  }

  // --- the check-in --------------------------------------------------------------------------------

  function localDate(timeZone) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    } catch (error) {
      return null;
    }
  }

  var checkinForm = document.querySelector('form[data-checkin-form]');
  // The walk timer's answer (walk_answer.js fills it in) is dropped once the check-in is sent.
  var WALK_KEY = 'rehab-walk-stop';

  if (checkinForm) {
    // An urgent answer with a question left unanswered: the browser will not send the form, but
    // the instruction to seek care must not wait for the 0-10 scores.
    var sendButton = checkinForm.querySelector('button[type="submit"]');
    var back = document.querySelector('[data-emergency-back]');
    if (sendButton) {
      sendButton.addEventListener('click', function () {
        if (checkinForm.checkValidity()) return;  // the submit handler below takes it from here
        var urgent = urgentAnswers({
          bowel_bladder_change: field(checkinForm, 'bowel_bladder_change').checked,
          saddle_numbness: field(checkinForm, 'saddle_numbness').checked,
          can_walk_on_heels: !field(checkinForm, 'cannot_walk_on_heels').checked,
          can_walk_on_toes: !field(checkinForm, 'cannot_walk_on_toes').checked
        });
        if (!urgent.length) return;
        showEmergency(urgent, 'tIncomplete');
        if (back) back.hidden = false;
      });
    }
    if (back) {
      back.addEventListener('click', function () {
        emergencyHide();
        back.hidden = true;
        var missing = checkinForm.querySelector(':invalid');
        if (missing) missing.focus();
        checkinForm.reportValidity();
      });
    }
    checkinForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var checked = function (name) {
        var box = field(checkinForm, name);
        return !!(box && box.checked);
      };
      var score = function (name) {
        var chosen = checkinForm.querySelector('input[name="' + name + '"]:checked');
        return chosen ? parseInt(chosen.value, 10) : null;
      };
      // A missed day entered late carries its date; otherwise today where the patient lives.
      var day = checkinForm.dataset.date || localDate(checkinForm.dataset.timezone) || checkinForm.dataset.today;
      var body = {
        date: day,
        back_pain: score('back_pain'),
        leg_pain: score('leg_pain'),
        numbness: score('numbness'),
        numbness_areas: Array.prototype.map.call(
          checkinForm.querySelectorAll('input[name="numbness_areas"]:checked'),
          function (box) { return box.value; }
        ),
        bowel_bladder_change: checked('bowel_bladder_change'),
        saddle_numbness: checked('saddle_numbness'),
        can_walk_on_heels: !checked('cannot_walk_on_heels'),
        can_walk_on_toes: !checked('cannot_walk_on_toes'),
        night_pain: checked('night_pain'),
        calf_cramps: checked('calf_cramps'),
        stopped_walking: checked('stopped_walking'),
        walking_minutes: number(checkinForm, 'walking_minutes'),
        note: field(checkinForm, 'note') ? field(checkinForm, 'note').value : ''
      };
      var urgent = urgentAnswers(body);
      if (back) back.hidden = true;
      if (urgent.length) {
        // Before anything is sent: the instruction must not wait for the signal.
        showEmergency(urgent, navigator.onLine ? 'tSending' : 'tOffline');
      }
      var button = checkinForm.querySelector('button[type="submit"]');
      if (button) button.disabled = true;
      var record = { kind: 'checkin', url: '/api/v1/checkins/', body: body, label: text.tCheckin + ' ' + day };
      record.key = Outbox.newKey();
      checkinKey = record.key;
      keep(record).then(function () {
        if (button) button.disabled = false;
      }, function () {
        // No outbox on this phone (private mode, say): the form post answers with the same
        // screen once it reaches the server.
        checkinForm.submit();
      });
    });
  }

  // --- "I moved" -------------------------------------------------------------------------------------

  document.querySelectorAll('form[data-moved-form]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch('/api/v1/reminders/moved/', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': csrf(), Accept: 'application/json' }
      }).then(function (response) {
        if (!response.ok) { form.submit(); return; }
        // The same confirmation the page shows after the plain form post.
        try { window.sessionStorage.setItem(FLASH_KEY, text.tMovedOk); } catch (error) { /* private mode */ }
        window.location.reload();
      }, function () { say(text.tNoSignal); });
    });
  });

  function showFlash() {
    var message = null;
    try {
      message = window.sessionStorage.getItem(FLASH_KEY);
      window.sessionStorage.removeItem(FLASH_KEY);
    } catch (error) { return; }
    if (!message) return;
    var box = document.createElement('div');
    box.className = 'messages';
    box.setAttribute('role', 'status');
    var line = document.createElement('p');
    line.className = 'success';
    line.textContent = message;
    box.appendChild(line);
    app.insertBefore(box, app.firstChild);
  }
  showFlash();

  // --- language switch without the extra button --------------------------------------------------

  var language = document.getElementById('lang-select');
  if (language && language.form) {
    var switchButton = language.form.querySelector('button');
    if (switchButton) switchButton.hidden = true;
    language.addEventListener('change', function () { language.form.submit(); });
  }

  // Signing out forgets the pages kept on this phone (they hold health data).
  document.querySelectorAll('form[data-sign-out]').forEach(function (form) {
    form.addEventListener('submit', function () {
      if (window.caches) window.caches.delete('rehab-pages');
    });
  });

  // --- service worker and push -----------------------------------------------------------------

  Outbox.setMeta('csrf', csrf()).catch(function () {});
  Outbox.setMeta('labels', { moved: text.tMoved, snooze: text.tSnooze, app: document.title }).catch(function () {});

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(text.sw, { scope: text.scope }).catch(function () {});
    navigator.serviceWorker.addEventListener('message', function (event) {
      var message = event.data || {};
      if (message.type === 'outbox-changed') {
        (message.results || []).forEach(function (result) { onResult(result.record, result.outcome, result.data); });
        renderOutbox();
      } else if (message.type === 'notification-action' && message.ok) {
        say(message.action === 'moved' ? text.tMovedOk : text.tSnoozed);
      }
    });
  }

  function applicationServerKey(base64url) {
    var padded = (base64url + '==='.slice((base64url.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded);
    var key = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) key[i] = raw.charCodeAt(i);
    return key;
  }

  var push = document.querySelector('[data-push]');
  if (push && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) {
    var status = push.querySelector('[data-push-status]');
    var button = push.querySelector('[data-push-enable]');
    push.hidden = false;
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (subscription && Notification.permission === 'granted') {
        status.textContent = text.tPushOn;
        button.hidden = true;
      }
    }).catch(function () {});
    button.addEventListener('click', function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== 'granted') throw new Error('blocked');
        return fetch('/api/v1/reminders/push/vapid-public-key/', { credentials: 'same-origin' });
      }).then(function (response) {
        if (!response.ok) throw new Error('unavailable');
        return response.json();
      }).then(function (key) {
        return navigator.serviceWorker.ready.then(function (registration) {
          return registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: applicationServerKey(key.public_key)
          });
        });
      }).then(function (subscription) {
        var body = subscription.toJSON();
        body.user_agent = navigator.userAgent.slice(0, 300);
        return fetch('/api/v1/reminders/push-subscriptions/', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf() },
          body: JSON.stringify(body)
        });
      }).then(function (response) {
        // 409: this browser's endpoint is another account's (a shared browser): theirs stays.
        if (response.status === 409) throw new Error('taken');
        if (!response.ok) throw new Error('unavailable');
        status.textContent = text.tPushOn;
        button.hidden = true;
      }).catch(function (error) {
        var reason = error && error.message;
        status.textContent = reason === 'blocked' ? text.tPushBlocked
          : reason === 'taken' ? text.tPushTaken : text.tPushUnavailable;
      });
    });
  }

  // The guided player (player.js) logs its session through the same outbox.
  window.RehabApp = { keep: keep };

  window.addEventListener('online', send);
  window.addEventListener('offline', function () { say(text.tOffline); });
  renderOutbox().then(function (records) { if (records.length) send(); });
})();
