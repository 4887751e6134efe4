"""Requests for assistance from the funds: the request, its workflow, service levels, the public register."""
