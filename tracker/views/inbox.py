"""The therapist's own alerts: urgent flags and delivered digests (the in-app inbox), and what is
waiting for tomorrow's digest. The header shows the unread count on every page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from reminders import selectors as reminder_selectors
from reminders import services as reminder_services
from tracker.views.dashboard import _require_staff
from tracker.views.signed_in import SignedInRequest

INBOX_PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request: SignedInRequest) -> HttpResponse:
    _require_staff(request.user)
    messages = reminder_selectors.inbox_for_user(user=request.user)
    page = Paginator(messages, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": reminder_selectors.inbox_unread_count(user=request.user),
        "waiting": list(reminder_selectors.digest_items_waiting(user=request.user)[:50]),
        "nav": "inbox",
        # The push opt-in (tracker/static/tracker/therapist_push.js): therapists only.
        "push_key": settings.VAPID_PUBLIC_KEY if request.user.is_therapist else "",
        "push_mine": [
            subscription.endpoint
            for subscription in reminder_selectors.push_subscriptions_for_user(user=request.user)
        ],
    }
    return render(request, "tracker/dashboard/inbox.html", context)


@login_required
@require_POST
def inbox_read_all(request: SignedInRequest) -> HttpResponse:
    _require_staff(request.user)
    reminder_services.inbox_mark_all_read(user=request.user)
    return redirect("dashboard:inbox")
