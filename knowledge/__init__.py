"""Knowledge of the pôles sociaux des Hauts-de-Seine: sourced data and a plain
Python query layer (no Rasa import). Start with `get_knowledge()`; see
knowledge/README.md."""
from .base import KnowledgeBase, get_knowledge
from .loader import KnowledgeDataError, SITUATIONS
from .models import (
    AdjacentQuestion,
    Budget,
    Closure,
    Commune,
    CommuneMatch,
    DaySchedule,
    Department,
    Helpline,
    Hub,
    OpeningStatus,
    Profession,
    Provenance,
    Service,
    ServiceMatch,
    SourcedItem,
    TransportAccess,
)

__all__ = [
    "get_knowledge", "KnowledgeBase", "KnowledgeDataError", "SITUATIONS",
    "AdjacentQuestion", "Budget", "Closure", "Commune", "CommuneMatch", "DaySchedule", "Department", "Helpline", "Hub",
    "OpeningStatus", "Profession", "Provenance", "Service", "ServiceMatch", "SourcedItem",
    "TransportAccess",
]
