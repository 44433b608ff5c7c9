"""Demo consumers for a demo network, streamed as tuples into `core.db.rows_insert`.

Names are common Hindi-belt first names and surnames (Hindu and Muslim), addresses are house
numbers in the DT's mohalla or village, ~30% have no mobile on file, most of the others consent
to SMS and some opted in to WhatsApp, and most prefer Hindi. Generation is the hot loop of a
million-row demo, so every per-row choice is an index into a pool precomputed per run; mobiles
are built from real UP mobile series (all valid for `phonenumbers`), never parsed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator

from django.db import connection
from django.utils import timezone

from sampark.core.db import rows_insert
from sampark.core.models import AreaType, Language
from sampark.network.demo import NetworkIds, NetworkPlan
from sampark.network.models import FeederNature

from .importers import WRITE_FIELDS
from .models import Consumer, ConsumerCategory

COLUMNS = ("created_at", "updated_at", "account_number", *WRITE_FIELDS, "annual_fixed_charges")
# First digit of the 10-digit account number, per discom.
ACCOUNT_DIGIT = {"PVVNL": 1, "DVVNL": 2, "MVVNL": 3, "PuVVNL": 4, "KESCO": 5}
POOL = 4096  # per-row choices are draws from pools this big

NO_MOBILE = {AreaType.URBAN: 0.20, AreaType.TEHSIL: 0.28, AreaType.RURAL: 0.37}  # ~30% overall
HINDI = {AreaType.URBAN: 0.80, AreaType.TEHSIL: 0.92, AreaType.RURAL: 0.97}
WHATSAPP = {AreaType.URBAN: 0.30, AreaType.TEHSIL: 0.20, AreaType.RURAL: 0.12}  # of mobiles
EMAIL = {AreaType.URBAN: 0.12, AreaType.TEHSIL: 0.05, AreaType.RURAL: 0.01}  # of mobiles
SMS_CONSENT = 0.85  # of mobiles

# Annual fixed charges (the cap of SoP compensation is 30% of them): sanctioned load x fixed
# charge per kW (per BHP for tube wells) per month x 12. The rates are approximate UPERC tariff
# figures (LMV-1 domestic Rs 110/kW urban, Rs 90/kW rural; LMV-2 commercial Rs 330/kW; LMV-6
# industrial Rs 290/kW; LMV-5 tube wells Rs 170/BHP); a demo assumption, not a tariff table.
# category: (loads in kW or BHP, weights)
LOADS = {
    "domestic": ((1, 2, 3, 4, 5), (40, 30, 15, 10, 5)),
    "commercial": ((1, 2, 3, 5, 10), (25, 30, 20, 15, 10)),
    "industrial": ((10, 20, 30, 50, 75), (30, 25, 20, 15, 10)),
    "agricultural": ((5, 7, 8, 10), (40, 30, 20, 10)),
}
FIXED_PER_MONTH = {  # (urban or tehsil, rural) rupees per kW or BHP per month
    "domestic": (110, 90),
    "commercial": (330, 330),
    "industrial": (290, 290),
    "agricultural": (170, 170),
}
ALT_MOBILE = 0.08  # of mobiles

D, C, I, A = (  # noqa: E741 - short names keep the table below readable
    ConsumerCategory.DOMESTIC.value,
    ConsumerCategory.COMMERCIAL.value,
    ConsumerCategory.INDUSTRIAL.value,
    ConsumerCategory.AGRICULTURAL.value,
)
CATEGORY_MIX = {
    FeederNature.AGRICULTURE.value: {A: 70, D: 28, C: 2},
    FeederNature.INDUSTRIAL.value: {I: 45, C: 25, D: 30},
    AreaType.URBAN.value: {D: 84, C: 14, I: 2},
    AreaType.TEHSIL.value: {D: 86, C: 12, I: 2},
    AreaType.RURAL.value: {D: 90, C: 6, A: 4},
}

# Series (first four digits) of mobile numbers issued in UP; all valid for `phonenumbers`.
MOBILE_SERIES = (
    "9415 9450 9451 9452 9453 9454 9455 9456 9457 9458 9935 9936 9839 9838 9919 9918 7007 7355 "
    "7388 7398 8004 8005 8090 8115 8127 8400 8423 8765 8840 8858 8874 8881 8887 8953 9005 9026 "
    "9044 9084 9140 9161 9236 9305 9335 9336 9369 9506 9554 9565 9598 9628 9648 9670 9721 9792 "
    "9794 9795 9807 9889 9910 9956 9984 6306 6386 6387 6388 6389 6390 6391 6392 6393 7080 7081 "
    "7275 7309 7376 7379 7408 7460 7518 7524 7565 7607 7617 7800 7897 7905 7991"
)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


MALE = _names(
    "Ram, Shyam, Mohan, Sohan, Rajesh, Suresh, Ramesh, Mahesh, Dinesh, Rakesh, Mukesh, Anil, "
    "Sunil, Vinod, Pramod, Santosh, Ashok, Vijay, Ajay, Sanjay, Manoj, Pankaj, Deepak, Amit, "
    "Sumit, Rahul, Rohit, Vikas, Arvind, Ravi, Shiv Kumar, Ram Prakash, Ram Naresh, Om Prakash, "
    "Jai Prakash, Radhey Shyam, Ram Kishore, Shiv Shankar, Brijesh, Awadhesh, Rajendra, Satish, "
    "Harish, Yogesh, Umesh, Devendra, Virendra, Surendra, Narendra, Lalit, Anuj, Ankit, Abhishek, "
    "Gaurav, Saurabh, Akhilesh, Kamlesh, Raju, Munna, Bablu, Ram Sajivan, Chhote Lal, Bhagwan Din"
)
FEMALE = _names(
    "Sunita, Anita, Geeta, Seema, Rekha, Suman, Kiran, Meena, Pushpa, Savitri, Kamla, Shanti, "
    "Urmila, Manju, Poonam, Neelam, Rita, Asha, Usha, Sarita, Priya, Pooja, Neha, Anjali, Kavita, "
    "Mamta, Sangeeta, Preeti, Radha, Sushila, Gayatri, Sudha, Ramkali, Phoolmati, Rajkumari, "
    "Kusum, Babita, Sapna, Ritu, Shyama"
)
SURNAMES = _names(
    "Yadav, Singh, Sharma, Verma, Gupta, Mishra, Tiwari, Pandey, Shukla, Dubey, Tripathi, "
    "Srivastava, Kumar, Maurya, Kushwaha, Chauhan, Rajput, Jatav, Prajapati, Pal, Nishad, Kashyap, "
    "Saxena, Agarwal, Jaiswal, Chaudhary, Tomar, Rawat, Lodhi, Patel, Rathore, Bajpai, Awasthi, "
    "Dwivedi, Chaurasia, Sonkar, Valmiki, Gautam, Bharti, Katiyar, Sahu, Rastogi, Pathak, "
    "Upadhyay, Dixit"
)
MUSLIM_MALE = _names(
    "Mohd. Aslam, Mohd. Arif, Irfan, Imran, Salman, Rizwan, Shahid, Javed, Naseem, Akhtar, Anwar, "
    "Iqbal, Faizan, Sajid, Wasim, Nadeem, Shakeel, Zubair, Abdul Rehman, Mohd. Yusuf"
)
MUSLIM_FEMALE = _names(
    "Shabana, Rukhsana, Nazia, Farzana, Shabnam, Ayesha, Fatima, Zainab, Sana, Nargis, Reshma, "
    "Salma, Afsana, Heena, Naseem Bano"
)
MUSLIM_SURNAMES = _names(
    "Khan, Ansari, Qureshi, Siddiqui, Ahmad, Ali, Hussain, Rizvi, Usmani, Farooqui, Alvi, Malik, "
    "Saifi, Mansoori, Shaikh"
)


def full_names() -> list[str]:
    """Every first name x surname; Muslim names counted twice (about 1 in 5, as in UP)."""
    hindu = [f"{f} {s}" for f in MALE for s in SURNAMES]
    hindu += [f"{f} {s}" for f in FEMALE for s in [*SURNAMES, "Devi", "Devi", "Kumari"]]
    muslim = [f"{f} {s}" for f in [*MUSLIM_MALE, *MUSLIM_FEMALE] for s in MUSLIM_SURNAMES]
    return hindu + muslim + muslim


def _email_local(name: str) -> str:
    words = re.sub(r"[^a-z ]", "", name.lower()).split()
    return f"{words[0]}.{words[-1]}"


class _Pools:
    """Per-run pools: a consumer's attributes are one random index away."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = full_names()
        self.emails = [_email_local(name) for name in self.names]
        self.series = ["+91" + s for s in MOBILE_SERIES.split()]
        self._profiles: dict[
            tuple[str, str], list[tuple[bool, bool, bool, str, str, bool, bool, int]]
        ]
        self._profiles = {}

    def profiles(
        self, area: str, nature: str
    ) -> list[tuple[bool, bool, bool, str, str, bool, bool, int]]:
        """(has mobile, has alt mobile, has e-mail, language, category, SMS, WhatsApp,
        annual fixed charges in rupees)."""
        key = (area, nature if nature in CATEGORY_MIX else "")
        if key not in self._profiles:
            rand = self.rng.random
            mix = CATEGORY_MIX[nature] if nature in CATEGORY_MIX else CATEGORY_MIX[area]
            categories = self.rng.choices(list(mix), weights=list(mix.values()), k=POOL)
            pool = []
            for category in categories:
                mobile = rand() >= NO_MOBILE[AreaType(area)]
                language = Language.HINDI if rand() < HINDI[AreaType(area)] else Language.ENGLISH
                pool.append(
                    (
                        mobile,
                        mobile and rand() < ALT_MOBILE,
                        mobile and rand() < EMAIL[AreaType(area)],
                        language.value,
                        category,
                        mobile and rand() < SMS_CONSENT,
                        mobile and rand() < WHATSAPP[AreaType(area)],
                        self._fixed_charges(category, area),
                    )
                )
            self._profiles[key] = pool
        return self._profiles[key]

    def _fixed_charges(self, category: str, area: str) -> int:
        loads, weights = LOADS[category]
        (load,) = self.rng.choices(loads, weights=weights)
        urban, rural = FIXED_PER_MONTH[category]
        return load * (rural if area == AreaType.RURAL else urban) * 12


def consumers_demo_rows(
    *, plan: NetworkPlan, ids: NetworkIds, seed: int, now: object
) -> Iterator[tuple[object, ...]]:
    """One tuple per consumer in `COLUMNS` order, feeder by feeder, DT by DT."""
    rng = random.Random(f"sampark-demo-consumers:{seed}")
    rand = rng.random
    pools = _Pools(rng)
    names, emails, series = pools.names, pools.emails, pools.series
    n_names, n_series = len(names), len(series)
    # Account numbers rise within a discom with small gaps (closed or merged connections).
    gaps = (1, 1, 1, 2, 3)
    next_account = {
        code: digit * 1_000_000_000 + rng.randrange(1_000_000, 5_000_000)
        for code, digit in ACCOUNT_DIGIT.items()
    }
    for feeder in plan.feeders:
        if not feeder.consumers:
            continue
        profiles = pools.profiles(feeder.area_type, feeder.nature)
        feeder_id = ids.feeders[feeder.code]
        subdivision_id = ids.subdivisions[feeder.subdivision]
        area, a_class = feeder.area_type, feeder.a_class
        account = next_account.get(feeder.discom, 6_000_000_000)
        for dt in feeder.dts:
            dt_id = ids.dts[dt.code]
            lat, lon, tail = str(dt.latitude), str(dt.longitude), dt.address_tail
            house = 1 + int(rand() * 150)
            for _ in range(dt.consumers):
                account += gaps[int(rand() * 5)]
                house += 1 + (rand() < 0.2)
                has_mobile, has_alt, has_email, language, category, sms, whatsapp, charges = (
                    profiles[int(rand() * POOL)]
                )
                who = int(rand() * n_names)
                mobile = alt = None
                email = ""
                if has_mobile:
                    mobile = f"{series[int(rand() * n_series)]}{int(rand() * 1_000_000):06d}"
                    if has_alt:
                        alt = f"{series[int(rand() * n_series)]}{int(rand() * 1_000_000):06d}"
                    if has_email:
                        email = f"{emails[who]}{int(rand() * 100)}@gmail.com"
                yield (
                    now,
                    now,
                    str(account),
                    names[who],
                    mobile,
                    alt,
                    email,
                    language,
                    category,
                    sms,
                    whatsapp,
                    f"H.No. {house}{tail}",
                    lat,
                    lon,
                    dt_id,
                    feeder_id,
                    subdivision_id,
                    area,
                    a_class,
                    charges,
                )
        next_account[feeder.discom] = account


def consumers_demo_insert(
    *,
    plan: NetworkPlan,
    ids: NetworkIds,
    seed: int,
    progress: Callable[[Iterable[tuple[object, ...]]], Iterable[tuple[object, ...]]] | None = None,
) -> int:
    """Stream the plan's consumers into the table (inside the caller's transaction)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: Iterable[tuple[object, ...]] = consumers_demo_rows(plan=plan, ids=ids, seed=seed, now=now)
    if progress is not None:
        rows = progress(rows)
    return rows_insert(model=Consumer, columns=COLUMNS, rows=rows)
