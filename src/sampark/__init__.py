"""Sampark: consumer care and outage communication for electricity distribution companies."""
