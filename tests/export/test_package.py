import importlib

import narrascope


def test_the_export_package_leaves_the_export_function_in_place():
    # narrascope.export is the function of the public API; importing the package of the same name
    # (and each of its modules) must not replace it.
    for name in ("tables", "table_writers", "graphs", "graph_writers", "docs"):
        importlib.import_module(f"narrascope.export.{name}")
    assert callable(narrascope.export) and narrascope.export.__module__ == "narrascope.report"
