"""Insights: where missions are won and lost, counted by the database and drawn as SVG."""
