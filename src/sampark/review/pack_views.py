"""Archived review packs: the list (newest first) and the files, for whoever may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sampark.accounts.auth import staff_of
from sampark.core.errors import NotAllowed, NotFound

from .pack_selectors import pack_file_get, packs_visible

PER_PAGE = 30


@login_required
@require_GET
def pack_list(request: HttpRequest) -> HttpResponse:
    try:
        packs = packs_visible(user=staff_of(request))
    except NotAllowed:
        raise PermissionDenied from None
    if code := request.GET.get("discom", "").strip():
        packs = packs.filter(discom__code=code)
    page = Paginator(packs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "review/packs.html", {"page": page, "discom": code})


@login_required
@require_GET
def pack_file(request: HttpRequest, pack_id: int, kind: str) -> FileResponse:
    try:
        pack = pack_file_get(user=staff_of(request), pack_id=pack_id, kind=kind)
    except NotAllowed:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    field = pack.pdf if kind == "pdf" else pack.xlsx
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
