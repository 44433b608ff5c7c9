"""JSON API of the outage register (mounted by sampark.config.api)."""
