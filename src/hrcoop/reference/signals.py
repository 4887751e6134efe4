"""The reference data's own signal, for the apps that keep data derived from a State's memberships."""

from django.dispatch import Signal

# Sent in the loader's transaction, with ``state_ids``, when States changed regional group or
# organisations (the search index holds them as facet tokens of every record of those States).
memberships_changed = Signal()

# Sent in the loader's transaction after it wrote the reference rows in bulk (which sends no
# ``post_save``): the registry shows States, mechanisms and sessions, so its version must follow.
reference_changed = Signal()
