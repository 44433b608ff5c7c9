"""Delivery-receipt webhooks, mounted under /webhooks/ (csrf-exempt: providers sign or carry a
secret instead). Each module parses one provider's payload and calls one service."""
