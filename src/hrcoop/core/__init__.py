"""Core: users and roles, the audit log (a hash chain), money, the working-day calendar, domain errors."""
