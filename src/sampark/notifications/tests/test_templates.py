"""Templates: variables are validated, DLT ids come from settings, segments are counted."""

from __future__ import annotations

import pytest

from sampark.core.errors import ValidationFailed
from sampark.notifications.templates import TEMPLATES, template_render


def test_hindi_render_fills_variables_dlt_ids_and_segments(settings):
    settings.SAMPARK_DLT_TEMPLATES = {"outage_restored": "1107160000000000001"}
    settings.SAMPARK_DLT_ENTITY_ID = "1101000000000000001"

    rendered = template_render(key="outage_restored", language="hi", variables={"area": "अमीनाबाद"})

    assert rendered.text.startswith("अमीनाबाद: बिजली आपूर्ति बहाल हो गई है।")
    assert rendered.text.endswith("-UPPCL 1912")
    assert rendered.encoding == "UCS-2" and rendered.segments == 2  # 72 UTF-16 units
    assert rendered.dlt_template_id == "1107160000000000001"
    assert rendered.dlt_entity_id == "1101000000000000001"
    assert rendered.urgent is True


def test_english_render_is_gsm7_and_planned_notices_are_not_urgent():
    rendered = template_render(
        key="planned_reminder",
        language="en",
        variables={"area": "Aminabad", "start": "10:00", "etr": "14:00"},
    )

    assert rendered.text == "Reminder: power off in Aminabad from 10:00 to 14:00. -UPPCL 1912"
    assert (rendered.encoding, rendered.segments, rendered.urgent) == ("GSM-7", 1, False)
    assert rendered.dlt_template_id == ""  # not registered in this configuration


@pytest.mark.parametrize(
    ("variables", "problems"),
    [
        ({}, {"variables.area": "missing"}),
        (
            {"area": "Aminabad", "colour": "red"},
            {"variables.colour": "not used by this template"},
        ),
    ],
)
def test_variables_must_match_the_template(variables, problems):
    with pytest.raises(ValidationFailed) as error:
        template_render(key="outage_restored", language="en", variables=variables)

    assert error.value.fields == problems


def test_unknown_template_is_a_field_error():
    with pytest.raises(ValidationFailed) as error:
        template_render(key="no_such_template", language="en", variables={})

    assert set(error.value.fields) == {"template"}


def test_every_template_has_the_same_variables_in_both_languages():
    import string

    for template in TEMPLATES.values():
        names = [
            {name for _, name, _, _ in string.Formatter().parse(text) if name}
            for text in (template.hi, template.en)
        ]
        assert names[0] == names[1], template.key
