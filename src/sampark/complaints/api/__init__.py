"""JSON API of complaints (mounted by sampark.config.api)."""
