"""Template helpers for our USWDS form templates (registered as the `uswds` library)."""

from django import template

register = template.Library()


@register.filter
def choice_description(bound_field, value):
    """The one-line description a choice field offers for `value`, if it has one."""
    descriptions = getattr(bound_field.field, "choice_descriptions", None) or {}
    return descriptions.get(str(value), "")


@register.filter
def yesno_kind(widget_type: str) -> str:
    """The USWDS component for a choice widget: "radio" or "checkbox"."""
    return "radio" if widget_type == "radioselect" else "checkbox"
