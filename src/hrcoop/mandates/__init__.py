"""Resolutions as data: paragraphs, citations, addressees and the mandates they give."""
