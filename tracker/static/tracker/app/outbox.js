/* The phone's outbox: session logs and check-ins kept in IndexedDB until the server has them.
 * Used by the pages (app.js) and by the service worker (sw.js).
 *
 * Every record gets its own Idempotency-Key when it is made, and is always sent with that key.
 * So a retry after a lost answer, or the page and the service worker sending at the same moment,
 * stores it once: the server answers a repeated key with its first answer. A record leaves the
 * outbox only when the server has answered it.
 */
(function (root) {
  'use strict';
  var DB_NAME = 'rehab-app';
  var DB_VERSION = 1;
  var flushing = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    var req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
    };
    return request(req);
  }

  // Runs `work(store)` in one transaction; resolves with its result once the transaction commits.
  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name, mode);
        var result;
        Promise.resolve(work(transaction.objectStore(name))).then(function (value) { result = value; }, reject);
        transaction.oncomplete = function () { db.close(); resolve(result); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function newKey() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }

  function add(record) {
    record.key = record.key || newKey();
    record.createdAt = record.createdAt || new Date().toISOString();
    record.state = 'waiting';
    return withStore('outbox', 'readwrite', function (store) {
      store.put(record);
      return record;
    });
  }

  function all() {
    return withStore('outbox', 'readonly', function (store) { return request(store.getAll()); })
      .then(function (records) {
        return records.sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; });
      });
  }

  function remove(key) {
    return withStore('outbox', 'readwrite', function (store) { store.delete(key); });
  }

  function put(record) {
    return withStore('outbox', 'readwrite', function (store) { store.put(record); });
  }

  function setMeta(name, value) {
    return withStore('meta', 'readwrite', function (store) { store.put(value, name); });
  }

  function getMeta(name) {
    return withStore('meta', 'readonly', function (store) { return request(store.get(name)); });
  }

  // One record: 'sent' (the server has it: 2xx, also a replayed answer), 'failed' (refused for
  // good: the patient is told), 'auth' (signed out: keep it), 'later' (no signal or a server
  // error: keep it and stop for now).
  function sendOne(record, csrf) {
    return fetch(record.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Idempotency-Key': record.key,
        'X-CSRFToken': csrf || ''
      },
      body: JSON.stringify(record.body)
    }).then(function (response) {
      if (response.ok) {
        return response.json().catch(function () { return null; })
          .then(function (data) { return { outcome: 'sent', data: data }; });
      }
      if (response.status === 401 || response.status === 403) return { outcome: 'auth' };
      if (response.status >= 500 || response.status === 429) return { outcome: 'later' };
      return response.json().catch(function () { return null; })
        .then(function (data) { return { outcome: 'failed', data: data, status: response.status }; });
    }, function () {
      return { outcome: 'later' };
    });
  }

  function describe(data) {
    if (!data || typeof data !== 'object') return '';
    return Object.keys(data).map(function (field) {
      var value = data[field];
      return Array.isArray(value) ? value.join(' ') : String(value);
    }).join(' ');
  }

  function run(options) {
    var results = [];
    return all().then(function (records) {
      var waiting = records.filter(function (record) { return record.state === 'waiting'; });
      var next = function (index) {
        if (index >= waiting.length) return results;
        var record = waiting[index];
        return sendOne(record, options.csrf).then(function (answer) {
          results.push({ record: record, outcome: answer.outcome, data: answer.data });
          if (options.onResult) options.onResult(record, answer.outcome, answer.data);
          if (answer.outcome === 'sent') return remove(record.key).then(function () { return next(index + 1); });
          if (answer.outcome === 'failed') {
            record.state = 'failed';
            record.error = describe(answer.data) || String(answer.status);
            return put(record).then(function () { return next(index + 1); });
          }
          return results;  // no signal, signed out or server trouble: try again later
        });
      };
      return next(0);
    });
  }

  // Sends every waiting record, oldest first. One sender at a time per page or worker, and across
  // them where the browser has Web Locks; the Idempotency-Key covers the rest.
  function flush(options) {
    options = options || {};
    if (flushing) return flushing;
    var go = function () { return run(options); };
    var locks = root.navigator && root.navigator.locks;
    flushing = (locks ? locks.request('rehab-outbox', go) : go()).then(function (results) {
      flushing = null;
      return results;
    }, function (error) {
      flushing = null;
      throw error;
    });
    return flushing;
  }

  root.RehabOutbox = {
    add: add, all: all, remove: remove, flush: flush, setMeta: setMeta, getMeta: getMeta, newKey: newKey
  };
})(self);
