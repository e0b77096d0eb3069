"""The client contact's pages: its missions, the profiles sent to it, interviews, demands."""
