"""Funds and donors: pledges, receipts, allocations, the double-entry ledger, donor-base metrics, IATI."""
