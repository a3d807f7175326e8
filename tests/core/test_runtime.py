import gc

import pytest

from core.runtime import gc_thresholds, tune_garbage_collector


@pytest.mark.parametrize(
    ("text", "expected"),
    [("50000,20,20", (50000, 20, 20)), (" 700, 10 ,10 ", (700, 10, 10)), ("", None), ("  ", None)],
)
def test_thresholds_are_read_as_three_whole_numbers(text, expected):
    assert gc_thresholds(text) == expected


@pytest.mark.parametrize("text", ["50000,20", "50000,20,20,1", "a,b,c", "0,10,10", "-1,10,10", "1.5,10,10"])
def test_other_thresholds_are_refused_with_the_setting_named(text):
    with pytest.raises(ValueError, match="CENTRIC_GC_THRESHOLDS"):
        gc_thresholds(text)


@pytest.fixture
def restored_collector():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_tuning_sets_the_thresholds_and_freezes_what_is_loaded(settings, restored_collector):
    settings.CENTRIC_GC_THRESHOLDS = "40000,15,12"
    gc.unfreeze()
    tune_garbage_collector()
    assert gc.get_threshold() == (40000, 15, 12)
    assert gc.get_freeze_count() > 10_000  # Django, the views and their modules


def test_an_empty_setting_keeps_pythons_thresholds(settings, restored_collector):
    settings.CENTRIC_GC_THRESHOLDS = ""
    before = gc.get_threshold()
    tune_garbage_collector()
    assert gc.get_threshold() == before


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_web_entry_points_tune_the_collector(module, settings, restored_collector):
    import importlib
    import sys

    settings.CENTRIC_GC_THRESHOLDS = "30000,11,9"
    gc.set_threshold(700, 10, 10)
    if module in sys.modules:
        importlib.reload(sys.modules[module])
    else:
        importlib.import_module(module)
    assert gc.get_threshold() == (30000, 11, 9)
