/* The guided player (/app/guides/<exercise>/play/): runs the plan the server worked out from the
 * patient's dose (get ready, hold, move, rest between sets, or one timer for walks and other timed
 * exercises), one position at a time: its picture and cue, a countdown, the set and repetition,
 * a beep (Web Audio) and a vibration at every change, the screen kept awake (Wake Lock API where
 * the browser has it), pause and resume.
 *
 * At the end the patient says how it felt and the session goes to POST /api/v1/sessions/ through
 * the phone's outbox (outbox.js, via app.js's RehabApp.keep): one Idempotency-Key, queued while
 * offline, sent once. Brisk walking has "I had to stop because of my leg": the minutes walked are
 * kept on the phone for the check-in's stopped-walking question (CLINICAL.md §3) and go into the
 * session's note.
 *
 * Time comes from Date.now() and setInterval only, so a test can drive it with Playwright's
 * page.clock; every tick works out how far the plan has got from the time elapsed, so a paused
 * tab or a clock jump never loses or repeats a position.
 */
(function () {
  'use strict';
  var root = document.querySelector('[data-player]');
  var dataNode = document.getElementById('player-data');
  if (!root || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var plan = data.plan || [];
  if (!plan.length) return;
  var text = root.dataset;

  var fallback = document.querySelector('[data-player-fallback]');
  if (fallback) fallback.hidden = true;
  root.hidden = false;

  var el = function (name) { return root.querySelector('[data-' + name + ']'); };
  var ui = {
    picture: el('picture'), caption: el('caption'), phase: el('phase'), timer: el('timer'),
    cue: el('cue'), set: el('count-set'), rep: el('count-rep'), start: el('start'),
    pause: el('pause'), resume: el('resume'), skip: el('skip'), finish: el('finish'),
    legStop: el('leg-stop')
  };
  var doneForm = document.querySelector('[data-player-done]');
  var saved = document.querySelector('[data-player-saved]');

  var WALK_KEY = 'rehab-walk-stop';
  var index = -1;          // the phase on screen
  var phaseEndsAt = 0;     // Date.now() at which it ends
  var pausedLeft = null;   // ms left in the phase while paused
  var startedAt = null;
  var activeMs = 0;        // time spent in the plan, pauses excluded
  var lastTick = null;
  var ticker = null;
  var finished = false;
  var legStopped = false;
  var wakeLock = null;
  var audio = null;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes ? minutes + ':' + (rest < 10 ? '0' : '') + rest : String(rest);
  }

  // --- signals at every change ------------------------------------------------------------------

  function beep(high) {
    try {
      if (!audio) return;
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = high ? 880 : 660;
      gain.gain.value = 0.15;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.18);
    } catch (error) { /* no sound: the screen and the vibration still say it */ }
  }

  function buzz(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (error) { /* not allowed here */ }
    }
  }

  function keepAwake() {
    if (!('wakeLock' in navigator) || wakeLock) return;
    navigator.wakeLock.request('screen').then(function (lock) {
      wakeLock = lock;
      lock.addEventListener('release', function () { wakeLock = null; });
    }).catch(function () { /* refused (battery saver): the player works all the same */ });
  }

  function letSleep() {
    if (wakeLock) wakeLock.release().catch(function () {});
    wakeLock = null;
  }

  document.addEventListener('visibilitychange', function () {
    // The lock goes when the tab is hidden; take it again on return while the player runs.
    if (document.visibilityState === 'visible' && ticker && pausedLeft === null) keepAwake();
  });

  // --- the plan ------------------------------------------------------------------------------

  function sets() { return Math.max(data.sets || 1, 1); }

  function setsDone() {
    if (finished && !legStopped && index >= plan.length) return sets();
    var done = 0;
    for (var i = 0; i < Math.min(index, plan.length); i += 1) {
      var phase = plan[i];
      var next = plan[i + 1];
      // A set is done when its last position is over.
      if (phase.set && (!next || next.set !== phase.set || next.kind === 'rest') && phase.kind !== 'rest') {
        done = Math.max(done, phase.set);
      }
    }
    return done;
  }

  function show(i) {
    var phase = plan[i];
    index = i;
    ui.picture.src = data.pictures[phase.picture];
    ui.picture.alt = data.captions[phase.picture] || '';
    ui.caption.textContent = data.captions[phase.picture] || '';
    ui.phase.textContent = text['t' + phase.kind.charAt(0).toUpperCase() + phase.kind.slice(1)] || '';
    ui.cue.textContent = phase.cue;
    root.dataset.kind = phase.kind;
    root.dataset.index = String(i);
    ui.set.textContent = phase.set && sets() > 1 ? format(text.tSet, { set: phase.set, sets: sets() }) : '';
    ui.rep.textContent = phase.rep && (data.reps || 0) > 1 && phase.kind !== 'rest'
      ? format(text.tRep, { rep: phase.rep, reps: data.reps }) : '';
    if (ui.legStop) ui.legStop.hidden = phase.kind !== 'walk';
  }

  function advance(now) {
    // Moves on through every phase whose time is up (several, after a long pause in the tab).
    var changed = false;
    while (index < plan.length && now >= phaseEndsAt) {
      var overshoot = now - phaseEndsAt;
      if (index + 1 >= plan.length) { index = plan.length; end(); return; }
      show(index + 1);
      phaseEndsAt = now - overshoot + plan[index].seconds * 1000;
      changed = true;
    }
    if (changed) {
      beep(plan[index].kind === 'hold' || plan[index].kind === 'walk');
      buzz(plan[index].kind === 'rest' ? [120, 80, 120] : 200);
    }
  }

  function tick() {
    var now = Date.now();
    if (lastTick !== null && pausedLeft === null) activeMs += now - lastTick;
    lastTick = now;
    if (pausedLeft !== null || finished) return;
    advance(now);
    if (!finished) ui.timer.textContent = clock((phaseEndsAt - now) / 1000);
  }

  function start() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context) audio = new Context();  // made on the tap, or the browser keeps it silent
    } catch (error) { audio = null; }
    startedAt = new Date();
    lastTick = Date.now();
    show(0);
    phaseEndsAt = Date.now() + plan[0].seconds * 1000;
    ui.timer.textContent = clock(plan[0].seconds);
    ui.start.hidden = true;
    // The picture, the countdown and the controls on one phone screen.
    var heading = document.querySelector('main h1') || root;
    if (heading.scrollIntoView) heading.scrollIntoView({ block: 'start' });
    ui.pause.hidden = false;
    ui.skip.hidden = false;
    ui.finish.hidden = false;
    beep(true);
    buzz(200);
    keepAwake();
    ticker = setInterval(tick, 250);
  }

  function pause() {
    pausedLeft = Math.max(0, phaseEndsAt - Date.now());
    ui.pause.hidden = true;
    ui.resume.hidden = false;
    ui.phase.textContent = text.tPaused;
    root.dataset.paused = 'true';
    letSleep();
  }

  function resume() {
    phaseEndsAt = Date.now() + pausedLeft;
    pausedLeft = null;
    lastTick = Date.now();
    ui.pause.hidden = false;
    ui.resume.hidden = true;
    delete root.dataset.paused;
    show(index);
    keepAwake();
  }

  function skip() {
    if (pausedLeft !== null) resume();
    phaseEndsAt = Date.now();
    tick();
  }

  function minutesDone() {
    return Math.max(1, Math.round(activeMs / 60000));
  }

  function end() {
    if (finished) return;
    finished = true;
    tick();
    clearInterval(ticker);
    ticker = null;
    letSleep();
    beep(true);
    buzz([200, 100, 200]);
    root.hidden = true;
    var summary = doneForm.querySelector('[data-done-summary]');
    summary.textContent = legStopped ? format(text.tLegNote, { minutes: minutesDone() }) : text.tFinished;
    doneForm.hidden = false;
    var first = doneForm.querySelector('input, select');
    if (first) first.focus();
  }

  function finishNow() {
    index = Math.min(index, plan.length - 1);
    end();
  }

  function legStop() {
    // CLINICAL.md §3 / A0, A2: having to stop walking because of the leg, and after how long.
    legStopped = true;
    var record = { on: localDay(), minutes: minutesDone(), stopped: true };
    try { window.localStorage.setItem(WALK_KEY, JSON.stringify(record)); } catch (error) { /* private mode */ }
    finishNow();
  }

  // Today where the patient lives: the day the check-in will be for.
  function localDay() {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: text.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    } catch (error) {
      var now = new Date();
      var pad = function (n) { return (n < 10 ? '0' : '') + n; };
      return now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
    }
  }

  // --- logging the session -------------------------------------------------------------------

  function save(event) {
    event.preventDefault();
    var button = doneForm.querySelector('[data-save]');
    if (button.disabled) return;  // one session, once
    button.disabled = true;
    var body = { performed_at: (startedAt || new Date()).toISOString(), minutes: minutesDone() };
    if (data.item) body.item = data.item; else body.exercise = data.exercise;
    if (data.sets) body.sets = setsDone();
    if (data.reps && !legStopped) body.reps = data.reps;
    var pain = doneForm.querySelector('input[name="pain_during"]:checked');
    if (pain) body.pain_during = parseInt(pain.value, 10);
    var difficulty = doneForm.querySelector('[name="difficulty"]');
    if (difficulty && difficulty.value) body.difficulty = difficulty.value;
    if (legStopped) body.note = format(text.tLegNote, { minutes: body.minutes });
    var record = { kind: 'session', url: '/api/v1/sessions/', body: body, label: data.label };
    var keep = window.RehabApp && window.RehabApp.keep;
    var sent = keep ? keep(record) : Promise.reject(new Error('no outbox'));
    sent.then(function () {
      doneForm.hidden = true;
      saved.hidden = false;
      if (legStopped) saved.querySelector('[data-saved-text]').textContent += ' ' + text.tLegSaved;
    }, function () { button.disabled = false; });
  }

  ui.start.addEventListener('click', start);
  ui.pause.addEventListener('click', pause);
  ui.resume.addEventListener('click', resume);
  ui.skip.addEventListener('click', skip);
  ui.finish.addEventListener('click', finishNow);
  if (ui.legStop) ui.legStop.addEventListener('click', legStop);
  doneForm.addEventListener('submit', save);
  ui.timer.textContent = clock(plan[0].seconds);
})();
