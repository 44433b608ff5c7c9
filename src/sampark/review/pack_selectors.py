"""Which archived review packs a staff user may list and fetch.

Officers with REVIEW_VIEW see the packs of the discoms their jurisdiction covers (an MD their
discom's, the chairman every discom's); officers with a pack role (SAMPARK_REVIEW_PACK_ROLES, e.g.
a zone's chief engineer) also their own discom's, the pack they are mailed. Anything else: 404.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core.errors import NotFound
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit

from .models import ReviewPack

KINDS = ("pdf", "xlsx")


def packs_visible(*, user: StaffUser) -> QuerySet[ReviewPack]:
    require(user, Action.REVIEW_VIEW)
    scope = staff_scope(user)
    packs = ReviewPack.objects.select_related("discom").order_by("-day", "discom__path")
    if scope.empty:
        return packs.none()
    if scope.path_prefix is None:
        return packs
    seen = Q(discom__path__startswith=scope.path_prefix)
    home = user.jurisdiction
    length = OrgUnit.steplen * LEVEL_DEPTH[OrgLevel.DISCOM]
    roles = settings.SAMPARK_REVIEW_PACK_ROLES
    if home is not None and user.role in roles and len(home.path) >= length:
        seen |= Q(discom__path=home.path[:length])
    return packs.filter(seen)


def pack_file_get(*, user: StaffUser, pack_id: int, kind: str) -> ReviewPack:
    """The pack whose `kind` file (pdf or xlsx) the user may fetch; NotFound otherwise."""
    if kind not in KINDS:
        raise NotFound()
    pack = packs_visible(user=user).filter(pk=pack_id).first()
    if pack is None or not getattr(pack, kind):
        raise NotFound()
    return pack
