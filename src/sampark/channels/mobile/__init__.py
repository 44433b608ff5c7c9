"""Proving mobiles and registering them on accounts, for every channel: the OTP messages go out
through the notifications outbox, the rules live in sampark.consumers (mobile_verification,
mobile_registration). Staff pages at /staff/mobile/ (docs/mobile-registration.md)."""
