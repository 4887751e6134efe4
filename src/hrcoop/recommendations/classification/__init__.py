"""Machine-assisted tagging: models trained on the registry's own labels, suggestions a person reviews."""
