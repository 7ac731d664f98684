/* Asks before a second "Done" on the same item within a minute: more often a double tap than a
 * second session. The question is the page's own dialog (today.html), in the page's language;
 * without JavaScript the server asks the same (views/app/today.py, session_confirm.html).
 */
(function (root) {
  'use strict';
  var REPEAT_MS = 60 * 1000;

  // Was this card's exercise done less than a minute ago (its data-last-logged)?
  function recent(card) {
    var last = card && Date.parse(card.dataset.lastLogged || '');
    return !!last && Date.now() - last < REPEAT_MS;
  }

  // Resolves true for "Yes, log it again", false for "No" (or Escape).
  function ask(label) {
    var dialog = document.querySelector('dialog[data-again-dialog]');
    if (!dialog || !dialog.showModal) return Promise.resolve(root.confirm(label));
    dialog.querySelector('[data-again-name]').textContent = label;
    return new Promise(function (resolve) {
      var answer = function (yes) {
        return function () {
          dialog.close();
          resolve(yes);
        };
      };
      dialog.querySelector('[data-again-yes]').onclick = answer(true);
      dialog.querySelector('[data-again-no]').onclick = answer(false);
      dialog.oncancel = answer(false);
      dialog.showModal();
    });
  }

  root.RehabAgain = { recent: recent, ask: ask };
})(window);
