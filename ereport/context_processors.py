from django.conf import settings


def agency(request):
    """The agency's names and phone numbers, for every template."""
    return {
        "AGENCY_NAME": settings.AGENCY_NAME,
        "CITY_NAME": settings.CITY_NAME,
        "PHONE_311": settings.PHONE_311,
        "PHONE_311_FULL": settings.PHONE_311_FULL,
        "PHONE_311_FULL_TEL": "+1" + "".join(ch for ch in settings.PHONE_311_FULL if ch.isdigit()),
        "PHONE_EMERGENCY": settings.PHONE_EMERGENCY,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "CRISIS_LINE_NAME": settings.CRISIS_LINE_NAME,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
    }
