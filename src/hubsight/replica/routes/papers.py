"""Placeholder: filled in by its own family."""

routes: list = []
