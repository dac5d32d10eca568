"""Case copies as PDF: an HTML template rendered by WeasyPrint, testable without Celery.

Resident text is data, never markup: the template escapes it, and WeasyPrint may fetch
nothing but our own PDF assets (static/pdf/) and data: URIs that we generate ourselves.
WeasyPrint is imported here only: it is heavy, and only the renderer needs it.
"""

from __future__ import annotations

import json
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from screening.agency import agency_name
from screening.policy_store import current_policy

PDF_ASSETS = Path(settings.BASE_DIR) / "static" / "pdf"


def _weasyprint():
    import weasyprint  # heavy: loaded by the renderer only, never at web start-up

    return weasyprint


class LocalOnlyFetcher:
    """Factory for WeasyPrint's URL fetcher that refuses everything but our own assets.

    Deny by default: http(s), ftp, file:// outside static/pdf/ and any other scheme are
    refused without a single network request, and redirects are never followed.
    """

    @staticmethod
    @cache
    def cls():
        weasyprint = _weasyprint()

        class _Fetcher(weasyprint.urls.URLFetcher):
            def __init__(self):
                super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

            def fetch(self, url, headers=None):
                parsed = urlparse(url)
                if parsed.scheme == "data":
                    return super().fetch(url, headers)
                if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
                    raise ValueError(f"refused to fetch {url[:80]!r}")
                path = Path(unquote(parsed.path)).resolve()
                if not path.is_relative_to(PDF_ASSETS.resolve()) or not path.is_file():
                    raise ValueError(f"refused to fetch {url[:80]!r}")
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return weasyprint.urls.URLFetcherResponse(
                    path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
                )

        return _Fetcher


def url_fetcher():
    return LocalOnlyFetcher.cls()()


@cache
def _font_config():
    # Reused across renders: building the font configuration is a large part of the cost.
    return _weasyprint().text.fonts.FontConfiguration()


@cache
def _stylesheet():
    weasyprint = _weasyprint()
    return weasyprint.CSS(
        filename=str(PDF_ASSETS / "case_copy.css"),
        font_config=_font_config(),
        url_fetcher=url_fetcher(),
    )


def preload() -> None:
    """Load what every copy needs and every worker process can share: WeasyPrint's
    modules, the page template and the site's URLs (the verification address is reversed
    from them). Called in a worker's main process, before it starts the processes that
    render.

    Measured in a fresh process: its first copy took 0.5-0.6 s of CPU more than the
    next ones, about half of it importing the URL configuration. In a burst of filings
    that time fell on the first residents' copies.
    """
    _weasyprint()
    get_template("pdf/case_copy.html")
    reverse("reports:verify")


def warm() -> None:
    """Get this process ready to render: what preload() loads, then the font
    configuration, the stylesheet and a line in each face the copy uses (Pango and the
    fonts' first use), which each process builds for itself. After it, a process's first
    copy costs what the next ones do."""
    preload()
    _stylesheet()
    render_html('<p>Case <b>copy</b> <span class="code">0</span></p>')


def render_html(html: str, *, attachments: list | None = None) -> bytes:
    """Render trusted template output to PDF/A-3b bytes."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(
        string=html, base_url=PDF_ASSETS.as_uri() + "/", url_fetcher=url_fetcher()
    )
    return document.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
        pdf_variant="pdf/a-3b",
        attachments=attachments or [],
    )


def report_json(report, context: dict) -> str:
    """The report as JSON, embedded in the copy so records systems can import it."""
    return json.dumps(context["machine_readable"], indent=2, ensure_ascii=False, default=str)


def render_case_copy(report, *, version: int, verification_code: str, context: dict) -> bytes:
    """The case copy of `report` at `version`, with its JSON attached."""
    weasyprint = _weasyprint()
    policy = current_policy()
    html = render_to_string(
        "pdf/case_copy.html",
        {
            **context,
            "report": report,
            "version": version,
            "verification_code": verification_code,
            "generated_at": timezone.localtime(),
            # The agency's name and logo in force when the copy is made (a copy is a
            # record of its moment; the next version of it says the next ones).
            "AGENCY_NAME": agency_name(policy, "en"),
            "agency_logo": policy.logo,
            # In full: a printed copy is read away from the site, where "/verify/" leads
            # nowhere.
            "verify_url": settings.SITE_URL.rstrip("/") + reverse("reports:verify"),
        },
    )
    attachment = weasyprint.Attachment(
        string=report_json(report, context),
        name=f"{report.tracking_number}.json",
        description="The report as JSON",
        relationship="Data",
        url_fetcher=url_fetcher(),
    )
    return render_html(html, attachments=[attachment])
