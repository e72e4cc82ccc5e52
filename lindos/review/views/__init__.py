"""Pages and form handlers of code review."""
