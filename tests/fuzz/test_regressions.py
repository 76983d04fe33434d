"""Inputs that crashed apilint once, found by fuzzing. Each must now end in a report or in a
one-line ApilintError."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.documents import load_document
from apilint.errors import LoadError


def test_yaml_control_character_is_a_one_line_error_with_its_position() -> None:
    # libyaml's reader error spans two lines ("... in "<unicode string>", position 14").
    with pytest.raises(LoadError) as caught:
        load_document(Path("api.yaml"), text="a: ééé\nb: x\x04y\n")
    message = str(caught.value)
    assert "\n" not in message
    assert message == "api.yaml:2:5: invalid YAML: control characters are not allowed (U+0004)"
