"""NLP services: spaCy analysis, entities, quotes, summaries, embeddings, answers.

Nothing here imports discord; the cogs, CLI and console call these through bot.services.
"""
