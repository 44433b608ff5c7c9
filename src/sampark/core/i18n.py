"""Translation catalogs: the .po files ship with the code, the .mo files are built from them.

`catalogs_compile()` builds every missing or stale .mo with polib (no GNU gettext needed), so
setup, tests and a fresh checkout all speak Hindi without a separate compile step.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/sampark


def locale_dirs() -> list[Path]:
    """LOCALE_PATHS plus any per-app `locale` folder inside the package."""
    found = [Path(p) for p in settings.LOCALE_PATHS]
    found += [p for p in PACKAGE_DIR.glob("*/locale") if p.is_dir()]
    return sorted({p.resolve() for p in found if p.is_dir()})


def catalogs_compile(*, dirs: Iterable[Path] | None = None) -> list[Path]:
    """Compile each .po under `dirs` whose .mo is missing or older. Returns the .mo written."""
    written: list[Path] = []
    for base in locale_dirs() if dirs is None else dirs:
        for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            # Write beside and rename: parallel test workers never read a half-written file.
            partial = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
            polib.pofile(str(po_path)).save_as_mofile(str(partial))
            os.replace(partial, mo_path)
            written.append(mo_path)
    if written:
        translations_forget()
    return written


def translations_forget() -> None:
    """Drop Django's cached catalogs (as its test signal for LOCALE_PATHS does).

    Matters only in a running process that already translated something (a test session).
    """
    from asgiref.local import Local
    from django.utils.translation import trans_real

    real: Any = trans_real  # private module state the stubs do not describe
    real._translations = {}
    real._default = None
    real._active = Local()
    real.translation_catalog_exists.cache_clear()
