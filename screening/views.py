"""Screening pages: parse the answers, ask the rules, show the outcome."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ereport.forms import error_summary, shared_unbound_form, unbound_form_html
from ereport.ratelimit import ratelimit
from reports.registry import REPORT_TYPES
from screening import policy_store, rules
from screening.forms import DETAILS_SLUG, ScreeningPage, screening_pages
from screening.policy import Policy
from screening.questions import QUESTIONS, said_back
from screening.reasons import policy_context, policy_reasons
from screening.services import screening_outcome_record
from screening.session import ScreeningSession

logger = logging.getLogger(__name__)

_OUTCOME_TEMPLATES = {
    rules.EMERGENCY_911: "screening/outcome_911.html",
    rules.MAJOR_CRIME_911: "screening/outcome_911.html",
    rules.OFFICER_911: "screening/outcome_911.html",
    rules.OUTSIDE_CITY: "screening/outcome_outside_city.html",
    rules.CALL_311: "screening/outcome_311.html",
    rules.ELIGIBLE: "screening/outcome_eligible.html",
}


@require_GET
def agency_logo(request, token: str):
    """The agency's logo. Its address names a fingerprint of the image, so the image at an
    address never changes and browsers keep it; an older logo's address leads to the
    logo in force (pages always name the current one)."""
    policy = policy_store.request_policy(request)
    image = policy.logo_image
    if image is None:
        raise Http404
    if token != policy.logo_token:
        return redirect("screening:agency_logo", policy.logo_token)
    content_type, data = image
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Disposition"] = 'inline; filename="agency-logo"'
    return response


@require_GET
def home(request):
    policy = policy_store.request_policy(request)
    report_types = [t for slug, t in REPORT_TYPES.items() if policy.is_online(slug)]
    return render(
        request,
        "screening/home.html",
        {
            "report_types": report_types,
            "policy_fingerprint": policy.fingerprint,
            **policy_context(policy, request.LANGUAGE_CODE),
        },
    )


def _first_unanswered_page(pages, answers: dict[str, str]) -> ScreeningPage | None:
    for page in pages:
        if not all(key in answers for key in page.keys):
            return page
    return None


def _asked(pages, answers: dict[str, str]) -> dict[str, str]:
    """The answers to the questions the pages ask now: a changed report type (or policy)
    leaves answers to questions no longer asked, which must not count."""
    keys = {key for page in pages for key in page.keys}
    return {key: value for key, value in answers.items() if key in keys}


def _decide(policy: Policy, pages, answers: dict[str, str], index: int) -> rules.Decision | None:
    decision = rules.evaluate_early(answers, policy)
    if decision is None and index == len(pages) - 1:
        decision = rules.evaluate(answers, policy)
    return decision


# The screening pages and outcomes say back what one resident answered: like the rest of
# the personal pages, no cache (a shared computer's, a proxy's) may keep them.
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("screening")
def question_page(request, page: str):
    policy = policy_store.request_policy(request)
    screening = ScreeningSession(request.session)
    answers = screening.answers()
    pages = screening_pages(policy, answers)
    index = next((i for i, p in enumerate(pages) if p.slug == page), None)
    if index is None:
        if page == DETAILS_SLUG:
            # The page of the policy's questions, before the type is chosen (or with none).
            return redirect("screening:start")
        raise Http404
    current = pages[index]

    # Gate: earlier pages must be answered first; a crafted URL cannot skip them.
    first_open = _first_unanswered_page(pages, answers)
    if first_open is not None and pages.index(first_open) < index:
        return redirect("screening:question", page=first_open.slug)

    initial = {key: answers[key] for key in current.keys if key in answers}
    if request.method == "POST":
        form = current.form_class(request.POST, initial=initial, policy=policy)
    else:
        form = _unanswered_form(current, initial, policy)
    if request.method == "POST" and form.is_valid():
        answers = screening.add_answers(form.cleaned_data)
        pages = screening_pages(policy, answers)
        answers = _asked(pages, answers)
        index = next(i for i, p in enumerate(pages) if p.slug == current.slug)
        try:
            decision = _decide(policy, pages, answers, index)
        except ValueError:
            # Answers from before a change of the policy that no page asks any more.
            logger.warning("screening answers do not fit the policy: starting again")
            screening.restart()
            messages.info(request, _("The questions have changed. Please answer them again."))
            return redirect("screening:start")
        if decision is None:
            return redirect("screening:question", page=pages[index + 1].slug)
        screening.set_decision(decision, answers, policy_version=policy.version)
        screening_outcome_record(
            decision=decision,
            report_type=answers.get(rules.REPORT_TYPE_KEY, ""),
            language=request.LANGUAGE_CODE,
        )
        return redirect("screening:result")

    back_url = (
        reverse("screening:question", kwargs={"page": pages[index - 1].slug})
        if index
        else reverse("screening:home")
    )
    return render(
        request,
        "screening/question.html",
        {
            "form": form,
            "page": current,
            "page_number": index + 1,
            "page_count": len(pages),
            "error_list": error_summary(form) if form.is_bound else [],
            "back_url": back_url,
            "form_html": None
            if form.is_bound
            else _form_html(form, current, initial, policy, answers),
            **policy_context(policy, request.LANGUAGE_CODE),
        },
    )


def _unanswered_form(page: ScreeningPage, initial: dict, policy: Policy):
    """The page's form before it is posted: on a first visit (no earlier answers on it)
    one shared form; shown again with the resident's answers, its own."""
    if initial:
        return page.form_class(None, initial=initial, policy=policy)
    return shared_unbound_form(
        lambda: page.form_class(None, initial={}, policy=policy),
        page.form_class,
        policy.fingerprint,
    )


def _form_html(form, page: ScreeningPage, initial: dict, policy: Policy, answers: dict) -> str:
    """The questions are the same for everyone: drawn once per process for each page,
    language, earlier answers and version of the policy (a new version asks new
    questions)."""
    return unbound_form_html(
        form,
        page.slug,
        policy.fingerprint,
        answers.get(rules.REPORT_TYPE_KEY, "") if page.slug == "details" else "",
        tuple(sorted(initial.items())),
    )


@never_cache
@require_GET
def start(request):
    """Start (or restart) the questionnaire from its first page."""
    ScreeningSession(request.session).restart()
    return redirect("screening:question", page="now")


@never_cache
@require_GET
def result(request):
    stored = ScreeningSession(request.session).decision()
    if stored is None:
        messages.info(request, _("Please answer the questions first."))
        return redirect("screening:start")
    decision = stored.decision
    policy = policy_store.request_policy(request)
    language = request.LANGUAGE_CODE
    context = {
        "decision": decision,
        "outcome": decision.outcome,
        "said": [
            said_back(key, stored.answers[key]) for key in decision.reasons if key in QUESTIONS
        ]
        + policy_reasons(policy, decision, stored.report_type, stored.answers, language),
        "policy_reasons": policy_reasons(
            policy, decision, stored.report_type, stored.answers, language
        ),
        "report_type": REPORT_TYPES.get(stored.report_type),
        "report_type_slug": stored.report_type,
        **policy_context(policy, language),
    }
    return render(request, _OUTCOME_TEMPLATES[decision.outcome], context)
