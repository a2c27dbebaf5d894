"""Models of the operations app, split by concept (crises, notification, situation reports,
decisions and tasks, resources, public alerts)."""

from beredskap.operations.models.alerts import AlertInfo, PublicAlert
from beredskap.operations.models.crises import (
    BodyActivation,
    Crisis,
    CrisisLevel,
    CrisisLogEntry,
    CrisisPhase,
    CrisisRole,
    CrisisRoleAssignment,
    ExpertGroupMember,
    Liaison,
)
from beredskap.operations.models.decisions import CrisisTask, Decision, DecisionMeasure, LegalBasis
from beredskap.operations.models.forecasts import CrisisForecast
from beredskap.operations.models.mobilisation import MobilisationRequest, MobilisationStatus
from beredskap.operations.models.notification import (
    Delivery,
    DeliveryStatus,
    DistributionList,
    Notification,
    NotificationRecipient,
)
from beredskap.operations.models.resources import (
    AllocationLine,
    AllocationProposal,
    Deployment,
    ResourceOffer,
    ResourceRequest,
)
from beredskap.operations.models.sitreps import ReportingCycle, SituationReport, StatusColour

__all__ = [
    "AlertInfo",
    "AllocationLine",
    "AllocationProposal",
    "BodyActivation",
    "Crisis",
    "CrisisLevel",
    "CrisisForecast",
    "CrisisLogEntry",
    "CrisisPhase",
    "CrisisRole",
    "CrisisRoleAssignment",
    "CrisisTask",
    "Decision",
    "DecisionMeasure",
    "Delivery",
    "DeliveryStatus",
    "Deployment",
    "DistributionList",
    "ExpertGroupMember",
    "LegalBasis",
    "MobilisationRequest",
    "MobilisationStatus",
    "Liaison",
    "Notification",
    "NotificationRecipient",
    "PublicAlert",
    "ReportingCycle",
    "ResourceOffer",
    "ResourceRequest",
    "SituationReport",
    "StatusColour",
]
