"""factory_boy factories and a small but complete network for tests."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from sampark.accounts.models import Role, StaffUser
from sampark.consumers.models import Consumer
from sampark.network.models import DistributionTransformer, Feeder, OrgLevel, OrgUnit, Substation


def org_add(
    parent: OrgUnit | None, *, level: str, code: str, name: str, a_class: bool = False, **kw
) -> OrgUnit:
    fields = dict(level=level, code=code, name_en=name, name_hi=kw.pop("name_hi", ""), **kw)
    fields["a_class_city"] = a_class
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    return OrgUnit.objects.add_child(parent, fields)


class SubstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Substation

    code = factory.Sequence(lambda n: f"SS{n:05d}")
    name_en = factory.Sequence(lambda n: f"Substation {n}")


class FeederFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feeder

    code = factory.Sequence(lambda n: f"FD{n:06d}")
    name_en = factory.Sequence(lambda n: f"Feeder {n}")
    substation = factory.SubFactory(SubstationFactory)
    area_type = "URBAN"


class TransformerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionTransformer

    code = factory.Sequence(lambda n: f"DT{n:07d}")
    name = factory.Sequence(lambda n: f"Mohalla DT {n}")
    feeder = factory.SubFactory(FeederFactory)


class ConsumerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consumer

    account_number = factory.Sequence(lambda n: f"{1000000000 + n}")
    name = factory.Sequence(lambda n: f"Consumer {n}")
    mobile = factory.Sequence(lambda n: f"+9198390{n:05d}")
    dt = factory.SubFactory(TransformerFactory)
    feeder = factory.LazyAttribute(lambda c: c.dt.feeder)
    subdivision = factory.LazyAttribute(lambda c: c.dt.feeder.substation.subdivision)
    area_type = factory.LazyAttribute(lambda c: c.dt.feeder.area_type)
    consent_sms = True


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffUser
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Officer {n}")
    password = factory.django.Password("test-pass-123")
    role = Role.AGENT


@dataclass
class SmallNetwork:
    """State > 2 discoms; MVVNL has one zone/circle/division and two sub-divisions (SD1 is in
    A-class Lucknow); PVVNL has one sub-division. One substation, feeder, DT and consumer each."""

    state: OrgUnit
    mvvnl: OrgUnit
    zone: OrgUnit
    circle: OrgUnit
    division: OrgUnit
    sd1: OrgUnit
    sd2: OrgUnit
    pvvnl: OrgUnit
    sd_p: OrgUnit
    ss1: Substation
    ss2: Substation
    ss_p: Substation
    feeder1: Feeder
    feeder2_rural: Feeder
    feeder_p: Feeder
    dt1: DistributionTransformer
    dt2: DistributionTransformer
    dt_p: DistributionTransformer
    consumer1: Consumer  # Lucknow urban, A-class
    consumer2: Consumer  # rural, sub-division 2
    consumer_p: Consumer  # other discom


def small_network_build() -> SmallNetwork:
    state = org_add(
        None, level=OrgLevel.STATE, code="UPPCL", name="UPPCL", name_hi="उ.प्र.पा.का.लि."
    )
    mv = org_add(
        state, level=OrgLevel.DISCOM, code="MVVNL", name="Madhyanchal", complaint_prefix="MV"
    )
    zone = org_add(mv, level=OrgLevel.ZONE, code="Z-LKO", name="LUCKNOW CENTRAL", a_class=True)
    circle = org_add(zone, level=OrgLevel.CIRCLE, code="C-LKO", name="CIRCLE I")
    division = org_add(circle, level=OrgLevel.DIVISION, code="D-AMN", name="AMINABAD")
    sd1 = org_add(division, level=OrgLevel.SUBDIVISION, code="SD-AMN-1", name="Aminabad I")
    sd2 = org_add(division, level=OrgLevel.SUBDIVISION, code="SD-AMN-2", name="Aminabad II")
    pv = org_add(
        state, level=OrgLevel.DISCOM, code="PVVNL", name="Paschimanchal", complaint_prefix="PV"
    )
    pz = org_add(pv, level=OrgLevel.ZONE, code="Z-MRT", name="MEERUT I")
    pc = org_add(pz, level=OrgLevel.CIRCLE, code="C-MRT", name="EDC I MEERUT")
    pd = org_add(pc, level=OrgLevel.DIVISION, code="D-MRT", name="EDD I MEERUT")
    sd_p = org_add(pd, level=OrgLevel.SUBDIVISION, code="SD-MRT-1", name="Meerut I")
    ss1 = SubstationFactory(code="SS-AMN", subdivision=sd1)
    ss2 = SubstationFactory(code="SS-BKT", subdivision=sd2)
    ss_p = SubstationFactory(code="SS-MRT", subdivision=sd_p)
    f1 = FeederFactory(code="F-AMN-1", substation=ss1, area_type="URBAN")
    f2 = FeederFactory(code="F-BKT-1", substation=ss2, area_type="RURAL")
    fp = FeederFactory(code="F-MRT-1", substation=ss_p, area_type="URBAN")
    dt1 = TransformerFactory(code="DT-AMN-1", feeder=f1)
    dt2 = TransformerFactory(code="DT-BKT-1", feeder=f2)
    dt_p = TransformerFactory(code="DT-MRT-1", feeder=fp)
    c1 = ConsumerFactory(
        account_number="1234567890", mobile="+919839012345", dt=dt1, is_a_class=True
    )
    c2 = ConsumerFactory(account_number="2234567890", mobile="+919839022222", dt=dt2)
    cp = ConsumerFactory(account_number="3234567890", mobile="+919839033333", dt=dt_p)
    return SmallNetwork(
        state,
        mv,
        zone,
        circle,
        division,
        sd1,
        sd2,
        pv,
        sd_p,
        ss1,
        ss2,
        ss_p,
        f1,
        f2,
        fp,
        dt1,
        dt2,
        dt_p,
        c1,
        c2,
        cp,
    )
