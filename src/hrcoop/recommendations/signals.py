"""The registry's own signal, for the apps that keep data derived from it (the search index)."""

from django.dispatch import Signal

# Sent in the writer's transaction, with ``ids``, when records changed in their recommending States
# or accepted labels through writes that send no ``post_save`` (an import's bulk inserts, a review).
records_changed = Signal()
