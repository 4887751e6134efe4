"""Calls for inputs: the secretariat consults States and organisations for a mandated report (issue 26)."""
