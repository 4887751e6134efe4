"""The public site: base templates, static assets, navigation and the home page."""
