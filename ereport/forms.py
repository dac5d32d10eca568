"""What every form on the site shares: USWDS classes on widgets and clean text input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


_GROUPED_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


class UswdsFormMixin:
    """Every form on the site: rendered with USWDS classes."""

    bound_field_class = UswdsBoundField


class UswdsForm(UswdsFormMixin, forms.Form):
    pass


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
