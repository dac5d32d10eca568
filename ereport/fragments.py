"""Drawn once per process: HTML that is the same for everyone who reads it in one
language under one agency policy (the footer, the header's logo, the home page's text,
a step's unanswered questions).

The `fragments` template library's {% once name value... %}...{% endonce %} keeps what
its fragment draws for each list of values. List every value the fragment shows (the
language, the agency's name, ...): a new value draws the fragment afresh, so a stale
one is never shown. Unlike Django's {% cache %} it needs no cache configured, costs no
round trip, and cannot fail: the fragments are small and few.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

register = template.Library()

_KEPT: OrderedDict[Hashable, object] = OrderedDict()
_MAX_KEPT = 4096  # the first drawn goes first
_LOCK = threading.Lock()


T = TypeVar("T")


def remember(key: Hashable, draw: Callable[[], T]) -> T:
    """What draw() returns, drawn once per process for each key (HTML, or an unanswered
    step's form that pages only read)."""
    html = _KEPT.get(key)
    if html is None:
        html = draw()
        with _LOCK:
            _KEPT[key] = html
            if len(_KEPT) > _MAX_KEPT:
                _KEPT.popitem(last=False)
    return html


class OnceNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        # A page that extends another walks the whole node tree of the template at the
        # root for its blocks, on every render. A fragment holding no {% block %} has
        # nothing to give that walk: it is left out of it (home page: a sixteenth of
        # the calls a request makes).
        self.child_nodelists = ("nodelist",) if nodelist.get_nodes_by_type(BlockNode) else ()

    def render(self, context) -> str:
        key = (self.name, *(str(value.resolve(context)) for value in self.vary_on))
        return remember(key, lambda: self.nodelist.render(context))


@register.tag("once")
def do_once(parser, token):
    """{% once name value... %}...{% endonce %}: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'once' needs a name: {% once footer LANGUAGE_CODE %}")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


# Where the return address goes in the drawn language links: a character no page's
# address or the menu's words contain.
_BACK = "\x00"


# quote(address, safe="") for an address in ASCII (as Django writes the request's path),
# in one call: every character but letters, digits and "_.-~" written as %XX.
_QUOTED = {
    code: f"%{code:02X}"
    for code in range(128)
    if not (chr(code).isascii() and (chr(code).isalnum() or chr(code) in "_.-~"))
}


@functools.cache
def _language_links(_script_prefix: str, current: str) -> tuple[str, ...]:
    languages = [get_language_info(code) for code, _name in settings.LANGUAGES]
    html = render_to_string(
        "includes/language_links.html",
        {"languages": languages, "current": current, "back": _BACK},
    )
    return tuple(html.split(_BACK))


@register.simple_tag(takes_context=True)
def language_links(context) -> SafeString:
    """The header's language menu: the current language marked, and a link to each other
    language that sets it and returns to this page (or to the page's `language_next`).
    Drawn once per process for each current language, with the page's return address
    filled in: drawn by a template loop on every page, it cost the home page a third of
    its time."""
    request = context.get("request")
    back = context.get("language_next") or (request.get_full_path() if request else "/")
    # quote() leaves only letters, digits and "_.-~": nothing HTML gives a meaning to.
    address = back.translate(_QUOTED) if back.isascii() else quote(back, safe="")
    return mark_safe(address.join(_language_links(get_script_prefix(), context["LANGUAGE_CODE"])))  # noqa: S308
