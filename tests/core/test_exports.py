import pytest

from core.exports import neutralise_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formula_like_text_is_quoted(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Team A", "", 12, -3.5, None])
def test_other_values_pass_unchanged(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", ['\x01=HYPERLINK("http://x")', "\x1b+1", "\x07@cmd"])
def test_control_characters_cannot_hide_a_formula_from_the_check(value):
    """The security review's bypass: stripping control characters after the check revived the formula."""
    assert neutralise_cell(value) == "'" + value[1:]
