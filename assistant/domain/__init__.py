"""What the product knows about its domain, as data: the vocabulary of report metrics (``terms.toml``,
read by :mod:`.vocabulary`) and the document types (:mod:`.doctypes`)."""

from .vocabulary import Binding, Concept, Vocabulary, age_band, unit_family, vocabulary

__all__ = ["Binding", "Concept", "Vocabulary", "age_band", "unit_family", "vocabulary"]
