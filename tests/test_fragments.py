"""{% once %}: a fragment drawn once per process for each list of the values it shows."""

from __future__ import annotations

import itertools

import pytest
from django.template import Context, Template, TemplateSyntaxError

from ereport import fragments


def test_a_fragment_is_drawn_once_per_value_and_afresh_for_a_new_one():
    draws = itertools.count(1)
    template = Template(
        "{% load fragments %}{% once greeting name %}Hello {{ name }} #{{ draw }}{% endonce %}"
    )
    name = f"Ana-{id(draws)}"  # a value no other test drew

    class Draw:
        def __str__(self):
            return str(next(draws))

    first = template.render(Context({"name": name, "draw": Draw()}))
    again = template.render(Context({"name": name, "draw": Draw()}))
    other = template.render(Context({"name": name + "-2", "draw": Draw()}))

    assert first == again == f"Hello {name} #1"
    assert other == f"Hello {name}-2 #2"


def test_the_fragments_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "_KEPT", type(fragments._KEPT)())
    monkeypatch.setattr(fragments, "_MAX_KEPT", 3)

    for n in range(5):
        fragments.remember(("test", n), lambda n=n: str(n))

    assert list(fragments._KEPT) == [("test", 2), ("test", 3), ("test", 4)]


def test_a_fragment_needs_a_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% once %}x{% endonce %}")


def test_a_block_inside_a_fragment_is_overridden_by_a_page_that_extends_it():
    # The wizard's buttons are a fragment; the declaration page names its own button.
    from django.template import Engine

    suffix = id(object())  # keys no other test drew
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "root.html": "<body>{% block page %}{% endblock %}</body>",
                    "wizard.html": (
                        '{% extends "root.html" %}{% load fragments %}{% block page %}'
                        "{% once buttons step %}<button>{% block label %}Continue"
                        "{% endblock %}</button>{% endonce %}"
                        "{% once note step %}<p>Saved</p>{% endonce %}{% endblock %}"
                    ),
                    "declaration.html": (
                        '{% extends "wizard.html" %}'
                        "{% block label %}Submit report, not {{ block.super }}{% endblock %}"
                    ),
                },
            )
        ],
        libraries={"fragments": "ereport.fragments"},
    )

    step = Context({"step": f"about_you-{suffix}"})
    last = Context({"step": f"declaration-{suffix}"})

    assert engine.get_template("wizard.html").render(step) == (
        "<body><button>Continue</button><p>Saved</p></body>"
    )
    assert engine.get_template("declaration.html").render(last) == (
        "<body><button>Submit report, not Continue</button><p>Saved</p></body>"
    )
