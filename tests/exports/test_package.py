import importlib

import narrascope


def test_the_exports_package_leaves_the_export_function_in_place():
    # narrascope.export is the function of the public API; the tables and graphs live in the
    # package narrascope.exports, whose import must not replace it.
    for name in ("tables", "table_writers", "graphs", "graph_writers", "docs"):
        importlib.import_module(f"narrascope.exports.{name}")
    assert callable(narrascope.export) and narrascope.export.__module__ == "narrascope.report"
    assert importlib.import_module("narrascope.exports").__name__ == "narrascope.exports"
