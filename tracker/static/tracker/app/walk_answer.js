/* Carries the walk timer's "I had to stop because of my leg" (player.js keeps it on the phone)
 * into today's check-in: the stopped-walking question ticked and the minutes filled in
 * (CLINICAL.md §3). The patient can still change both before sending.
 */
(function (root) {
  'use strict';
  var KEY = 'rehab-walk-stop';
  var form = document.querySelector('form[data-checkin-form]');
  if (!form) return;

  function localDate(timeZone) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    } catch (error) {
      return null;
    }
  }

  var walk = null;
  try { walk = JSON.parse(root.localStorage.getItem(KEY) || 'null'); } catch (error) { walk = null; }
  var day = form.dataset.date || localDate(form.dataset.timezone) || form.dataset.today;
  if (!walk || !walk.stopped || walk.on !== day) return;
  var stopped = form.querySelector('[name="stopped_walking"]');
  var minutes = form.querySelector('[name="walking_minutes"]');
  if (stopped && !stopped.checked) stopped.checked = true;
  if (minutes && minutes.value === '') minutes.value = String(walk.minutes);
})(window);
