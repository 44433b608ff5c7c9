"""JSON API of the consumer registry (mounted by sampark.config.api)."""
