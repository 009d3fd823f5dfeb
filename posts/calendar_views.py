"""The content calendar's pages and its private iCalendar feed (which needs no login: its address is the key)."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError

from . import calendar, permissions
from .models import CalendarFeed, Category, Channel


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(label="Show", required=False, choices=[(calendar.WEEK, "Week"), (calendar.MONTH, "Month")])
    date = forms.DateField(label="Date", required=False, widget=forms.HiddenInput)
    channel = forms.ModelChoiceField(
        label="Channel",
        required=False,
        queryset=Channel.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All channels",
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories")] + list(Category.choices)
    )


def _query(values: dict, **changes) -> str:
    merged = {**values, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v})


@login_required
@require_GET
def calendar_page(request):
    permissions.require_calendar_viewer(request.user)
    form = CalendarFilterForm(request.GET)
    form.is_valid()  # what does not parse is left out, the rest still filters
    data = form.cleaned_data
    today = timezone.localdate()
    view = data.get("view") or calendar.WEEK
    anchor: date = data.get("date") or today
    channel, category = data.get("channel"), data.get("category") or ""
    period = calendar.Period.around(view, anchor)
    entries = calendar.calendar_entries(period=period, channel=channel, category=category)
    by_day = calendar.entries_by_day(period, entries)
    kept = {"view": view, "channel": channel.slug if channel else "", "category": category}
    context = {
        "form": form,
        "period": period,
        "view": view,
        "today": today,
        "weeks": [[(day, by_day[day]) for day in week] for week in period.weeks],
        "days": [(day, by_day[day]) for day in period.days if period.in_month(day)],
        "entries": entries,
        "channel": channel,
        "category": category,
        "category_label": Category(category).label if category else "",
        "previous_url": _query(kept, date=period.previous.isoformat()),
        "next_url": _query(kept, date=period.next.isoformat()),
        "today_url": _query(kept, date=""),
        "week_url": _query(kept, view=calendar.WEEK, date=anchor.isoformat()),
        "month_url": _query(kept, view=calendar.MONTH, date=anchor.isoformat()),
    }
    return render(request, "posts/calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feed_page(request):
    """Where a member makes (or remakes) their private feed address, sees it once, and stops it."""
    permissions.require_calendar_viewer(request.user)
    new = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        feed = get_object_or_404(CalendarFeed, pk=request.POST.get("feed", 0) or 0, member=request.user)
        try:
            calendar.revoke_calendar_feed(actor=request.user, feed=feed)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Feed address revoked: calendar apps using it get nothing from it now.")
        return redirect("posts:calendar_feed")
    if request.method == "POST":
        new = calendar.create_calendar_feed(actor=request.user)
    response = render(
        request,
        "posts/calendar_feed.html",
        {"new": new, "feed": new.feed if new else calendar.live_feed(request.user)},
    )
    # The address is shown once: not kept by the browser's cache or any proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed_ics(request, token: str):
    feed = calendar.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    response = HttpResponse(calendar.feed_calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="socialgov-calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
