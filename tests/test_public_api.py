import __future__

import inspect

import narrascope


def test_all_is_exact():
    public = {
        name
        for name, value in vars(narrascope).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and not isinstance(value, __future__._Feature)
    }
    assert set(narrascope.__all__) - {"__version__"} == public


def test_all_names_resolve():
    for name in narrascope.__all__:
        assert getattr(narrascope, name) is not None
