"""JSON API of the call centre: telephony events in, KPIs out (mounted by sampark.config.api)."""
