"""Reports to the Council, charts, PDF and open-data bundles."""
