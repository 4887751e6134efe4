"""Importers, one module per source format; ``base`` holds what they share."""
