"""Training and evaluation code: fitting, cross-validation, dataset readers, embedding caches and
metrics. Nothing here is imported at run time (the library's stages, the CLI's analysis commands
and the dashboard load only the shipped model files); ``scripts/`` and ``narrascope bench`` use it.
A test (tests/test_layout.py) checks that a whole analysis never imports this package."""
