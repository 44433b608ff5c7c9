"""Where archived review packs live: SAMPARK_REVIEW_PACK_ROOT/<discom>/<day>/<file>.

Not under MEDIA_ROOT, which the proxy serves to anyone: packs name officers and carry internal
figures, so they leave only through the permission-checked download view (pack_views).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

if TYPE_CHECKING:
    from .models import ReviewPack


@deconstructible(path="sampark.review.pack_storage.PackStorage")
class PackStorage(FileSystemStorage):
    """The folder is read from settings at each use (tests point it elsewhere)."""

    @property
    def base_location(self) -> str:
        return str(settings.SAMPARK_REVIEW_PACK_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def pack_file_path(pack: ReviewPack, filename: str) -> str:
    return f"{pack.discom.code}/{pack.day.isoformat()}/{filename}"
