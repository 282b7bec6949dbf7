"""Questions answered from the corpus with cited evidence: hybrid retrieval, then an
offline span picker or a configured extractive QA model."""

from bot.qa.service import Answer, Answerer, Passage

__all__ = ["Answer", "Answerer", "Passage"]
