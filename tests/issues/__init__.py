"""One regression test module per fixed issue (tests/issues/test_NNN.py)."""
