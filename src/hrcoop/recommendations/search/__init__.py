"""Full-text, faceted and semantic search over the recommendation registry (issue 3).

``text`` turns texts into index tokens, ``query`` parses the query language, ``engines`` holds the one
implementation per database, ``selectors`` answers searches and facet counts, ``embeddings`` finds
similar recommendations across languages.
"""
