"""Test helpers shared by every app's tests (factories, a small network). Never imported by app code."""
