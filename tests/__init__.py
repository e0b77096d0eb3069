"""Tests that cross the apps (access matrix, bad input, races, faults, admin) and the factories."""
