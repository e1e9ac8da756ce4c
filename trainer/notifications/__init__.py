"""Notifications: messages a person sees on their home page until they dismiss them. Any
feature may notify; this package imports no feature."""
