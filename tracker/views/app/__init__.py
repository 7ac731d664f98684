"""The patient's mobile pages under /app/: Today, Check-in, Progress, Reminders, the first-run
screen, and the service worker and web app manifest that make them installable and usable offline.

Server-rendered and complete without JavaScript: every form posts to a view here that calls the
same service as the API. With JavaScript, app.js sends the same data to the API with an
Idempotency-Key and queues it on the phone while offline. Only patients with a patient record
see these pages; anyone else signed in gets a 404, like a page that does not exist.
"""
