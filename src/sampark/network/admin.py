"""Admin for the two network trees.

Sized for UP: 4,711 substations, 26,033 feeders and lakhs of DTs, so foreign keys are picked by
autocomplete or raw id (never a full <select>), and big lists skip the full row count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.forms import modelform_factory
from django.http import HttpRequest
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import DistributionTransformer, Feeder, OrgUnit, Substation


class PlacementReadOnlyAdmin(admin.ModelAdmin):
    """Where an existing substation, feeder or DT hangs (and a feeder's area type) is fixed here.

    Consumers carry copies of those facts (feeder, sub-division, area type, A-class) that only
    the network importer re-derives when it moves something; an admin edit would leave them stale.
    """

    placement_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.placement_fields if obj is not None else fields


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    """New units are placed with treebeard's form; existing ones are renamed here but moved or
    re-classed (A-class city) only by the network importer, which re-derives consumers."""

    form = movenodeform_factory(OrgUnit)
    list_display = ("name_en", "code", "level", "name_hi", "a_class_city", "complaint_prefix")
    list_filter = ("level", "a_class_city")
    search_fields = ("code", "name_en", "name_hi")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            return super().get_form(request, obj, change=change, **kwargs)
        fields = ("name_en", "name_hi", "complaint_prefix")
        return modelform_factory(OrgUnit, fields=fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        if obj is None:
            return super().get_fields(request, obj)
        return ("code", "level", "name_en", "name_hi", "a_class_city", "complaint_prefix")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "level", "a_class_city") if obj is not None else ()


@admin.register(Substation)
class SubstationAdmin(PlacementReadOnlyAdmin):
    placement_fields = ("subdivision",)
    list_display = ("code", "name_en", "name_hi", "subdivision", "voltage")
    list_filter = ("voltage",)
    search_fields = ("code", "name_en", "name_hi")
    list_select_related = ("subdivision",)
    autocomplete_fields = ("subdivision",)


@admin.register(Feeder)
class FeederAdmin(PlacementReadOnlyAdmin):
    placement_fields = ("substation", "area_type")
    list_display = ("code", "name_en", "substation", "area_type", "nature", "voltage")
    list_filter = ("area_type", "nature")
    # "^code" is a prefix match, which an index on code can serve.
    search_fields = ("^code", "name_en", "name_hi", "=substation__code")
    list_select_related = ("substation",)
    autocomplete_fields = ("substation",)
    show_full_result_count = False


@admin.register(DistributionTransformer)
class DistributionTransformerAdmin(PlacementReadOnlyAdmin):
    placement_fields = ("feeder",)
    list_display = ("code", "name", "feeder", "capacity_kva")
    search_fields = ("^code", "name", "=feeder__code")
    list_select_related = ("feeder",)
    autocomplete_fields = ("feeder",)
    show_full_result_count = False
