"""What every form on the site shares: USWDS classes on widgets and clean text input."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import django
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ereport.fragments import remember

_WIDGET_CLASSES = {
    forms.RadioSelect: "usa-radio__input",
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.ClearableFileInput: "usa-file-input",
    forms.FileInput: "usa-file-input",
    forms.widgets.Input: "usa-input",
}


def _css_class_for(widget: forms.Widget) -> str:
    for widget_class, css_class in _WIDGET_CLASSES.items():
        if isinstance(widget, widget_class):
            return css_class
    return ""


class UswdsBoundField(forms.BoundField):
    """Adds the USWDS class (and its error variant) to a widget as it is rendered, so it
    applies to fields added in a form's __init__ as well as declared ones."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [attrs.get("class", ""), _css_class_for(widget)]
        if self.errors and not isinstance(widget, _GROUPED_WIDGETS):
            classes.append("usa-input--error")
        attrs["class"] = " ".join(dict.fromkeys(" ".join(classes).split()))
        return attrs

    @property
    def uswds_html(self) -> str:
        """This field's USWDS form group, written in Python: the same bytes as the
        template templates/uswds/field.html (which writes them itself when this is empty).

        Profiled: with widgets drawn in Python (PythonWidgetRenderer), the template pack's
        field.html and its hint_and_errors.html include were the largest part left of a
        wizard step (about 30 variable lookups and two includes per field). Values the
        template would localize (numbers, dates) send the field back to the template.
        """
        try:
            return mark_safe(_field_group(self))  # noqa: S308 -- every value escaped below
        except _UseTemplate:
            return ""


class _UseTemplate(Exception):
    pass


def _text(value) -> str:
    # `{{ value }}` for text; anything the template would localize is left to it.
    if value is None or isinstance(value, str | Promise | SafeData):
        return conditional_escape(value)
    raise _UseTemplate


def _optional(field) -> str:
    if field.required or getattr(field, "required_for_choice", None):
        return ""
    return f' <span class="text-base">{conditional_escape(gettext("(optional)"))}</span>'


def _hint_and_errors(bound) -> str:
    # templates/uswds/includes/hint_and_errors.html, with its line ends.
    hint = ""
    if bound.help_text:
        hint = (
            f'<div class="usa-hint" id="{_text(bound.auto_id)}_helptext">'
            f"{_text(bound.help_text)}</div>"
        )
    errors = ""
    if bound.errors:
        messages = " ".join(conditional_escape(error) for error in bound.errors)
        errors = (
            f'<span class="usa-error-message" id="{_text(bound.auto_id)}_error">{messages}</span>'
        )
    return f"{hint}\n{errors}\n"


def _field_group(bound) -> str:
    """templates/uswds/field.html, branch by branch, whitespace included."""
    field = bound.field
    if bound.is_hidden:
        return f"{conditional_escape(bound)}\n"
    if bound.name == "website":
        return (
            f'<div class="ereport-hp" aria-hidden="true"><label for="{_text(bound.id_for_label)}">'
            f"{_text(bound.label)}</label>{conditional_escape(bound)}</div>\n"
        )
    kind = bound.widget_type
    label = _text(bound.label)
    if kind in ("radioselect", "checkboxselectmultiple"):
        box = "radio" if kind == "radioselect" else "checkbox"
        described = bound.aria_describedby
        aria = f' aria-describedby="{_text(described)}"' if described else ""
        descriptions = getattr(field, "choice_descriptions", None) or {}
        tile = " usa-radio__input--tile" if kind == "radioselect" and descriptions else ""
        options = []
        for choice in bound:
            data = choice.data
            description = descriptions.get(str(data["value"]), "")
            described_choice = (
                f'<span class="usa-{box}__label-description">{_text(description)}</span>'
                if description
                else ""
            )
            choice_id = _text(choice.id_for_label)
            options.append(
                f'\n      <div class="usa-{box}">\n        <input type="{_text(data["type"])}" '
                f'name="{_text(data["name"])}" value="{_text(data["value"])}" id="{choice_id}" '
                f'class="usa-{box}__input{tile}"{" checked" if data["selected"] else ""}>\n'
                f'        <label class="usa-{box}__label" for="{choice_id}">'
                f"{_text(choice.choice_label)}{described_choice}</label>\n      </div>\n    "
            )
        branch = (
            f'\n  <fieldset class="usa-fieldset"{aria}>\n    <legend class="usa-legend">'
            f"{label}{_optional(field)}</legend>\n    {_hint_and_errors(bound)}\n"
            f'    <div id="{_text(bound.auto_id)}">\n    {"".join(options)}\n    </div>\n'
            "  </fieldset>\n"
        )
    elif kind == "checkbox":
        branch = (
            f'\n  {_hint_and_errors(bound)}\n  <div class="usa-checkbox">\n'
            f"    {conditional_escape(bound)}\n"
            f'    <label class="usa-checkbox__label" for="{_text(bound.id_for_label)}">'
            f"{label}</label>\n  </div>\n"
        )
    else:
        branch = (
            f'\n  <label class="usa-label" for="{_text(bound.id_for_label)}">{label}'
            f"{_optional(field)}</label>\n  {_hint_and_errors(bound)}\n"
            f"  {conditional_escape(bound)}\n"
        )
    error_class = " usa-form-group--error" if bound.errors else ""
    return (
        f'\n<div class="usa-form-group{error_class}" id="group_{_text(bound.auto_id)}">\n'
        f"{branch}\n</div>\n\n"
    )


_GROUPED_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


# Widgets rendered in Python rather than through Django's widget templates.
#
# Profiled (cProfile, a wizard step GET in-process with DEBUG off and the cached template
# loader): half of the page's CPU went to rendering its ~17 widgets, each an <input> or a
# <select> drawn by three nested templates (text.html -> input.html -> attrs.html, or one
# select_option.html include per option). The functions below write the same bytes as
# those templates (django/forms/templates/django/forms/widgets/), in a few microseconds.
# They stand in only while the renderer would load Django's own copies of the templates:
# if a project or app overrides one, that template is used as before.
_DJANGO_WIDGETS = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms"
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "date",
        "time",
        "datetime",
        "number",
        "url",
        "password",
        "hidden",
        "checkbox",
        "search",
        "tel",
        "color",
    )
}
_SELECT_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_SELECT = "django/forms/widgets/select.html"


def _as_s(value) -> str:
    # `{{ value|stringformat:'s' }}`: "%s" % value, escaped unless it was already safe.
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{_as_s(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_as_s(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


def _select(widget: dict) -> str | None:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            label = option["label"]
            # Numbers and dates would be localized by the template: leave those to it.
            if option["template_name"] != _SELECT_OPTION or not isinstance(label, str | Promise):
                return None
            out.append(
                f'\n  <option value="{_as_s(option["value"])}"{_attrs(option["attrs"])}>'
                # The option template's own final newline stays in the page.
                f"{conditional_escape(label)}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_PYTHON_WIDGETS = {name: _input for name in _INPUT_TEMPLATES} | {
    _TEXTAREA: _textarea,
    _SELECT: _select,
}


class PythonWidgetRenderer:
    """A form renderer that draws plain widgets in Python and leaves everything else
    (forms, fields, errors, any other widget) to the renderer it wraps."""

    # Whether a kind of renderer finds Django's own widget templates, looked up once per
    # process (the templates it finds are fixed by the settings).
    _ours_by_class: ClassVar[dict[type, bool]] = {}

    def __init__(self, renderer):
        self.renderer = renderer
        kind = type(renderer)
        ours = self._ours_by_class.get(kind)
        if ours is None:
            templates = {*_PYTHON_WIDGETS, _SELECT_OPTION, "django/forms/widgets/attrs.html"}
            ours = self._ours_by_class[kind] = all(self._is_djangos(t) for t in templates)
        self._ours = ours

    @classmethod
    def wrap(cls, renderer):
        return renderer if isinstance(renderer, cls) else cls(renderer)

    def _is_djangos(self, name: str) -> bool:
        try:
            origin = Path(self.renderer.get_template(name).origin.name)
        except Exception:  # any failure: keep the template path
            return False
        return origin.is_relative_to(_DJANGO_WIDGETS)

    def render(self, template_name, context, request=None):
        draw = _PYTHON_WIDGETS.get(template_name) if self._ours else None
        html = draw(context["widget"]) if draw else None
        if html is None:
            return self.renderer.render(template_name, context, request)
        return html

    def __getattr__(self, name):
        return getattr(self.renderer, name)


@functools.cache
def _copies_plainly(kind: type) -> bool:
    """Whether copy.copy of a `kind` is a new object with the old one's attributes and
    nothing more: the class has no __copy__, __slots__ or pickling hooks of its own."""
    return (
        not hasattr(kind, "__copy__")
        and not any("__slots__" in vars(base) for base in kind.__mro__[:-1])
        and kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is object.__reduce__
        and kind.__getstate__ is object.__getstate__
        and not hasattr(kind, "__setstate__")
    )


def _shallow_copy(obj: Any) -> Any:
    """What copy.copy makes of a field or widget (a new object sharing the old one's
    attributes), without the pickling protocol copy.copy goes through to get there;
    copy.copy itself for a class that copies itself its own way."""
    kind = type(obj)
    if not _copies_plainly(kind):
        return copy.copy(obj)
    new = kind.__new__(kind)
    new.__dict__.update(obj.__dict__)
    return new


def _copy_widget(widget: forms.Widget, memo: dict, *, share_choices: bool = False) -> forms.Widget:
    """Widget.__deepcopy__ (and ChoiceWidget's, when the answers are shared), made
    with _shallow_copy; any other widget is deep-copied as Django does."""
    if id(widget) in memo:  # a widget two fields share stays shared, as deepcopy keeps it
        return memo[id(widget)]
    deep = type(widget).__deepcopy__
    if deep is forms.Widget.__deepcopy__ or (
        share_choices and deep is forms.widgets.ChoiceWidget.__deepcopy__
    ):
        copied = _shallow_copy(widget)
        copied.attrs = widget.attrs.copy()
        memo[id(widget)] = copied
        return copied
    return copy.deepcopy(widget, memo)


class FixedChoicesMixin:
    """A choice field whose answers are fixed by the code (states, yes/no/not sure,
    kinds of item): every form built from the class shares the one list.

    Django deep-copies a choice field's answers for each form it builds, in case a form
    changes them in place; none of ours does (a form that needs other answers assigns a
    new list). Profiled: copying the 57 states and the other answer lists was about a
    tenth of the CPU of a wizard step that is drawn from the kept HTML."""

    def __deepcopy__(self, memo):
        # Field.__deepcopy__ and ChoiceWidget.__deepcopy__, less the copies of the
        # answers (the widget's copy would also run each one through
        # normalize_choices again): field, widget, attributes and messages are copied.
        return _copy_field(self, memo, share_choices=True)


def _copy_field(field: forms.Field, memo: dict, *, share_choices: bool = False) -> forms.Field:
    """Field.__deepcopy__ made with _shallow_copy: a new field with its own widget,
    widget attributes, messages and validators, as Django's copy gives each form."""
    copied = _shallow_copy(field)
    memo[id(field)] = copied
    copied.widget = _copy_widget(field.widget, memo, share_choices=share_choices)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


class FieldTemplates(dict):
    """A form class's fields, from which Django copies each form's own (BaseForm's
    `copy.deepcopy(self.base_fields)`). Fields whose copy is Django's plain
    Field.__deepcopy__ (text, dates, numbers, e-mail) are copied by _copy_field, the
    same copy without the pickling protocol; any other kind as Django copies it.

    Profiled under load: deep-copying the about-you step's fields was an eighth of the
    CPU of showing it."""

    def __deepcopy__(self, memo: dict) -> dict[str, forms.Field]:
        fields = {}
        for name, field in self.items():
            deep = type(field).__deepcopy__
            if id(field) in memo:
                fields[name] = memo[id(field)]
            elif deep is forms.Field.__deepcopy__:
                fields[name] = _copy_field(field, memo)
            elif deep is FixedChoicesMixin.__deepcopy__:
                fields[name] = _copy_field(field, memo, share_choices=True)
            else:
                fields[name] = copy.deepcopy(field, memo)
        return fields


class UswdsFormMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    """Django's form metaclass, keeping a form class's fields as FieldTemplates."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        new_class = super().__new__(mcs, name, bases, attrs)
        # One dict for both names, as Django keeps them.
        new_class.base_fields = new_class.declared_fields = FieldTemplates(new_class.base_fields)
        return new_class


class FixedChoiceField(FixedChoicesMixin, forms.ChoiceField):
    pass


class FixedMultipleChoiceField(FixedChoicesMixin, forms.MultipleChoiceField):
    pass


class UswdsFormMixin:
    """Every form on the site: rendered with USWDS classes."""

    bound_field_class = UswdsBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = PythonWidgetRenderer.wrap(self.renderer)


class UswdsForm(UswdsFormMixin, forms.Form, metaclass=UswdsFormMetaclass):
    pass


FormT = TypeVar("FormT", bound=forms.BaseForm | forms.BaseFormSet)


def shared_unbound_form(build: Callable[[], FormT], *key: object) -> FormT:
    """The unbound form build() makes, made once per process for each `key`, language and
    day and shared by every request that only reads it (its HTML, its labels). Only for
    a form holding nothing of one person: no data, no files, no initial answers.

    Profiled: building the form was a ninth of a wizard step's time and a sixteenth of a
    screening page's (py-spy)."""
    return remember(("unbound form", *key, get_language(), timezone.localdate()), build)


def unbound_form_html(form: forms.BaseForm, *key: object) -> str | None:
    """The crispy-forms HTML of an unbound form, drawn once per process for each form
    class, prefix, language, day and `key` (whatever else the form's HTML depends on,
    e.g. the agency policy's version and the report type). None for a bound form: its
    HTML holds a person's answers and errors, and is drawn every time.

    Profiled: drawing a step's questions was half of a wizard step's time, and they are
    the same for every resident who has not answered them yet.
    """
    if form.is_bound:
        return None
    key = (
        "form",
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        get_language(),
        timezone.localdate(),
        *key,
    )
    return remember(key, lambda: as_crispy_form(form))


def posted_names(form: forms.BaseForm | forms.BaseFormSet) -> set[str]:
    """The POST keys a form (or formset) reads: its fields' names with their prefix (and
    the sub-names of multi-part widgets), a formset's management fields and each of its
    rows' fields. What a page keeps of a POST is this and nothing else: unknown keys are
    whatever a client chose to send."""
    if isinstance(form, forms.BaseFormSet):
        names = posted_names(form.management_form)
        for row in form.forms:
            names |= posted_names(row)
        return names
    names = set()
    for bound in form:
        names.add(bound.html_name)
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            names |= {f"{bound.html_name}{suffix}" for suffix in widget.widgets_names}
    return names


def error_summary(*forms_or_formsets) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary: one link per invalid field.

    The anchor is the field's input (the first option for radios and checkboxes), so that
    following the link puts the cursor where the answer goes.
    """
    summary: list[tuple[str, str]] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            summary += [("error-summary", str(e)) for e in item.non_form_errors()]
            summary += error_summary(*item.forms)
            continue
        summary += [("error-summary", str(e)) for e in item.non_field_errors()]
        for name, errors in item.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in item.fields:
                continue
            bound = item[name]
            anchor = bound.auto_id
            if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            summary += [(anchor, str(e)) for e in errors]
    return summary


class HoneypotWidget(forms.TextInput):
    """An input people never see or reach (off-screen, out of the tab order, hidden from
    screen readers), which simple bots fill in like any other."""

    def __init__(self):
        super().__init__(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "ereport-hp-input"}
        )


class HoneypotMixin(forms.Form):
    """Stops simple bots without a CAPTCHA: a field people never see, which must stay
    empty. (The report wizard also refuses a whole report filed faster than a person
    could; see reports.wizard.)"""

    website = forms.CharField(required=False, label="Leave this empty", widget=HoneypotWidget())

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Something went wrong. Please try again."), code="honeypot"
            )
        return data
