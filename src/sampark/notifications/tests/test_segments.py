"""SMS segment counting: GSM-7 160/153, UCS-2 (Hindi) 70/67, extended characters cost two."""

from __future__ import annotations

import pytest

from sampark.notifications.segments import sms_length


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),  # concatenated: 153 a segment
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extended: two septets each
        ("€" * 81, "GSM-7", 162, 2),
        ("a" * 159 + "[", "GSM-7", 161, 2),
        ("अ" * 70, "UCS-2", 70, 1),
        ("अ" * 71, "UCS-2", 71, 2),  # concatenated: 67 a segment
        ("अ" * 134, "UCS-2", 134, 2),
        ("अ" * 135, "UCS-2", 135, 3),
        ("a" * 69 + "क", "UCS-2", 70, 1),  # one Hindi letter makes the whole text UCS-2
        ("a" * 70 + "क", "UCS-2", 71, 2),
        ("Power back 👍" + "a" * 57, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
    ],
)
def test_segments_at_the_boundaries(text, encoding, units, segments):
    length = sms_length(text)

    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)
