"""Requests for assistance from the funds: the request, its workflow, service levels and the public register."""
