"""Admin for the two network trees.

Sized for UP: 4,711 substations, 26,033 feeders and lakhs of DTs, so foreign keys are picked by
autocomplete or raw id (never a full <select>), and big lists skip the full row count.
"""

from __future__ import annotations

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import DistributionTransformer, Feeder, OrgUnit, Substation


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ("name_en", "code", "level", "name_hi", "a_class_city", "complaint_prefix")
    list_filter = ("level", "a_class_city")
    search_fields = ("code", "name_en", "name_hi")


@admin.register(Substation)
class SubstationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_hi", "subdivision", "voltage")
    list_filter = ("voltage",)
    search_fields = ("code", "name_en", "name_hi")
    list_select_related = ("subdivision",)
    autocomplete_fields = ("subdivision",)


@admin.register(Feeder)
class FeederAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "substation", "area_type", "nature", "voltage")
    list_filter = ("area_type", "nature")
    # "^code" is a prefix match, which an index on code can serve.
    search_fields = ("^code", "name_en", "name_hi", "=substation__code")
    list_select_related = ("substation",)
    autocomplete_fields = ("substation",)
    show_full_result_count = False


@admin.register(DistributionTransformer)
class DistributionTransformerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "feeder", "capacity_kva")
    search_fields = ("^code", "name", "=feeder__code")
    list_select_related = ("feeder",)
    autocomplete_fields = ("feeder",)
    show_full_result_count = False
