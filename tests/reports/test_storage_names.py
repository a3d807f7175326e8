"""Storage names come from ids, never from user text (a person's name, an uploaded file's name)."""

import pytest

from hiring.models import _cv_path


@pytest.mark.parametrize("filename", ["Ada O'Neil.pdf", "cv./../../etc/passwd", "x.p d f", "lebenslauf.pdfü"])
def test_cv_storage_name_has_no_user_text(filename):
    name = _cv_path(None, filename)
    assert name.startswith("hiring/cv/")
    assert ".." not in name and "Ada" not in name and " " not in name
    assert name.rsplit(".", 1)[-1].isalnum()
