"""The registry of recommendations: one record per recommendation, whatever the source."""
