"""Test helpers shared by every app's tests. Never imported by app code."""
