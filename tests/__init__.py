"""Tests of the newsld toolkit."""
