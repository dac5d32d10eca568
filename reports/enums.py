"""Report statuses and other fixed choices, in a leaf module that imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not accepted")
    DUPLICATE = "duplicate", _("Duplicate")
    CLOSED = "closed", _("Closed")


# The resident may still add information while a report is open.
OPEN_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_INFO})
CLOSED_STATUSES = frozenset(
    {ReportStatus.APPROVED, ReportStatus.REJECTED, ReportStatus.DUPLICATE, ReportStatus.CLOSED}
)


class ReportingFor(models.TextChoices):
    SELF = "self", _("Myself")
    BUSINESS = "business", _("A business or organization")
    OTHER_PERSON = "other_person", _("Another person")


class PlaceKind(models.TextChoices):
    HOME = "home", _("A home, apartment or yard")
    STREET = "street", _("A street or sidewalk")
    PARKING = "parking", _("A parking lot or garage")
    BUSINESS = "business", _("A business or store")
    ONLINE = "online", _("Online or by phone")
    OTHER = "other", _("Somewhere else")


class ItemCategory(models.TextChoices):
    BICYCLE = "bicycle", _("Bicycle")
    ELECTRONICS = "electronics", _("Phone, computer or other electronics")
    JEWELRY = "jewelry", _("Jewelry or watch")
    WALLET = "wallet", _("Wallet, purse, ID or cards")
    PACKAGE = "package", _("Package or mail")
    TOOLS = "tools", _("Tools or equipment")
    CLOTHING = "clothing", _("Clothing or bag")
    VEHICLE_PART = "vehicle_part", _("Vehicle part (for example a catalytic converter)")
    MONEY = "money", _("Cash")
    OTHER = "other", _("Something else")


class VehicleRole(models.TextChoices):
    REPORTER = "reporter", _("The resident's vehicle")
    OTHER = "other", _("The other vehicle")
    RESPONSIBLE = "responsible", _("The responsible person's vehicle")


class OrderType(models.TextChoices):
    OFP = "ofp", _("Order for Protection (OFP)")
    HRO = "hro", _("Harassment Restraining Order (HRO)")
    DANCO = "danco", _("Domestic Abuse No Contact Order (DANCO)")
    VISITATION = "visitation", _("Court order for parenting time or visitation")


class AccountKind(models.TextChoices):
    BANK = "bank", _("Bank account")
    CREDIT_CARD = "credit_card", _("Credit card")
    DEBIT_CARD = "debit_card", _("Debit card")
    LOAN = "loan", _("Loan")
    UTILITY = "utility", _("Phone or utility account")
    OTHER = "other", _("Other account")


class CaseCopyState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    # A newer version of the report was asked for before this one was made.
    SUPERSEDED = "superseded", _("Replaced by a newer version")
