"""The local service fixture lives in tests/conftest.py so browser tests share it."""
