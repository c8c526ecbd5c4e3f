"""Arabic text analysis: normalization, tokenization and stemming (pure functions, no I/O).

The same functions analyze documents at build time and queries at search time.
"""
