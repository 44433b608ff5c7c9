"""Fixtures shared by all tests: a small network and one staff user per role."""

from __future__ import annotations

import pytest

from sampark.accounts.models import Role
from sampark.core.i18n import catalogs_compile, translations_forget
from sampark.testing.browser import browser, page  # noqa: F401 (browser-test fixtures)
from sampark.testing.factories import SmallNetwork, StaffFactory, small_network_build


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled() -> None:
    """Hindi pages and errors need the .mo catalogs; a fresh checkout has only the .po.

    Under xdist another worker may write the .mo after this one cached the catalogs at
    start-up, so forget the cache either way.
    """
    catalogs_compile()
    translations_forget()


@pytest.fixture
def net(db) -> SmallNetwork:
    return small_network_build()


@pytest.fixture
def staff(net):
    """One user per role; field staff in MVVNL's sub-division 1, officers up the tree."""
    je = StaffFactory(username="je1", role=Role.JE, jurisdiction=net.sd1)
    je.substations.add(net.ss1)
    return {
        "agent": StaffFactory(username="agent", role=Role.AGENT, jurisdiction=net.state),
        "je": je,
        "je2": StaffFactory(username="je2", role=Role.JE, jurisdiction=net.sd2),
        "sdo": StaffFactory(username="sdo1", role=Role.SDO, jurisdiction=net.sd1),
        "sdo2": StaffFactory(username="sdo2", role=Role.SDO, jurisdiction=net.sd2),
        "md": StaffFactory(username="md_mv", role=Role.MD, jurisdiction=net.mvvnl),
        "md_p": StaffFactory(username="md_pv", role=Role.MD, jurisdiction=net.pvvnl),
        "je_p": StaffFactory(username="je_p", role=Role.JE, jurisdiction=net.sd_p),
        "admin": StaffFactory(username="admin", role=Role.ADMIN, is_superuser=True, is_staff=True),
    }
