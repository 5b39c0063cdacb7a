"""The regency's residents as the demo data shows them: names as written on a KTP, NIKs of
the right regions, mobile numbers and addresses of Belitung Timur.

``Residents`` makes each person the first time a key comes up and gives the same one when it
comes back, drawing from the random source of the history it belongs to, so that one seed
gives one population.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from egovctl.requests.search import fold_name

if TYPE_CHECKING:
    import random

Person = tuple[str, str, str, str | None, str | None]  # name, casefolded, NIK, phone, address

# Word lists, packed by hand: one entry a line would make this module four times as long.
# fmt: off
# Belitung Malay and Hakka Chinese families, and settlers from Java, Sunda, Sumatra, Sulawesi,
# Bali and the east. (male first names, female first names, family or second names)
_REGIONS: tuple[tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (0.34,  # Melayu Belitung
     ("Muhammad", "Ahmad", "Rahmat", "Zulkifli", "Syahrul", "Hendra", "Rizal", "Firdaus",
      "Jamaluddin", "Ma'ruf", "Syafi'i", "Ja'far", "Abdul", "Idris", "Harun", "Yusuf",
      "Amran", "Samsudin", "Rusli", "Fadli"),
     ("Nurhayati", "Siti", "Rohani", "Zubaidah", "Aisyah", "Nur'aini", "Fatimah", "Mas'amah",
      "Rosmala", "Sa'diyah", "Ni'mah", "Halimah", "Maimunah", "Rahmawati", "Zaleha",
      "Juliana", "Yuliani", "Marlina"),
     ("Saputra", "Hamdani", "Syamsuddin", "Ramli", "Zainal", "Rahman", "Hasan", "Ismail",
      "Fauzi", "Mahmud", "Aminah", "Sari", "Wati", "Hidayati")),
    (0.14,  # Tionghoa (Hakka) of Belitung
     ("Hendra", "Budi", "Yohanes", "Rudy", "Akiong", "Ahan", "Fransiskus", "Kevin", "Suryadi",
      "Tjhin Fuk", "Bong Kim", "Lie Jun"),
     ("Susanti", "Lina", "Meiliana", "Fransiska", "Lilis", "Meiling", "Apin", "Chrestella",
      "Phang Mei", "Tjhai Siu", "Renée"),
     ("Wijaya", "Gunawan", "Halim", "Salim", "Kurniadi", "Tanoto", "Tjhin", "Bong", "Lie",
      "Phang", "Tjhai", "Liem", "Hakim")),
    (0.20,  # Jawa
     ("Sutrisno", "Bambang", "Slamet", "Agus", "Joko", "Budi", "Wahyu", "Eko", "Teguh",
      "Sugeng", "Heru", "Dwi", "Tri", "Yudi"),
     ("Sri", "Suharti", "Wulandari", "Endang", "Dwi", "Rini", "Lestari", "Sumiyati", "Tri",
      "Ratna", "Puji", "Siti"),
     ("Santoso", "Susanto", "Wibowo", "Prasetyo", "Nugroho", "Setiawan", "Hidayat",
      "Kurniawan", "Purnomo", "Wahyuni", "Rahayu", "Handayani", "Astuti", "Utami")),
    (0.08,  # Sunda
     ("Asep", "Ujang", "Cecep", "Dadang", "Yayan", "Deden", "Ade"),
     ("Euis", "Neneng", "Ai", "Iis", "Imas", "Tati", "Nining"),
     ("Suryana", "Sumarna", "Permana", "Hidayat", "Kusnadi", "Rohayati", "Nurjanah")),
    (0.08,  # Batak and Minang
     ("Togar", "Parlindungan", "Maruli", "Hotman", "Binsar", "Afrizal", "Yusrizal", "Irwan"),
     ("Romauli", "Tiurma", "Rotua", "Lasma", "Yusnidar", "Rahmi", "Desi"),
     ("Siregar", "Nasution", "Simanjuntak", "Hutapea", "Sitompul", "Pardede", "Situmorang",
      "Panjaitan", "Harahap", "Lubis", "Chaniago", "Piliang", "Tanjung", "Sikumbang")),
    (0.07,  # Bugis and Makassar
     ("Andi", "Baso", "Arifuddin", "Syamsul", "Muh. Ridwan", "La Ode"),
     ("Andi", "Hasnah", "Nurhaeda", "St. Hajrah", "Wa Ode"),
     ("Rahim", "Bakri", "Mappiasse", "Daeng Ngemba", "Amiruddin", "Nurdin")),
    (0.05,  # Bali
     ("I Made", "I Wayan", "I Nyoman", "I Ketut", "I Gede", "I Putu"),
     ("Ni Luh", "Ni Made", "Ni Putu", "Ni Wayan", "Ni Kadek"),
     ("Suartana", "Sudarsana", "Ariani", "Sukerti", "Wirawan", "Astawa", "Suryani")),
    (0.04,  # Manado, Maluku, NTT
     ("Yohanis", "Fransiskus", "Marthen", "Yakobus", "Stevanus", "Agustinus"),
     ("Maria", "Grace", "Stéfanie", "Yuliana", "Agustina", "Théresia"),
     ("Pangemanan", "Wowor", "Lumenta", "Sumampouw", "Pattiasina", "Latuheru", "Fanggidae",
      "Ndun", "Bessie")),
)
# NIK region codes (PPKKCC): most applicants live in Belitung Timur (19 06 01-07: Manggar,
# Gantung, Dendang, Kelapa Kampit, Damar, Simpang Renggiang, Simpang Pesak), some elsewhere in
# Bangka Belitung, a few moved in from other provinces.
_DISTRICTS = ("Manggar", "Gantung", "Dendang", "Kelapa Kampit", "Damar", "Simpang Renggiang",
              "Simpang Pesak")
_VILLAGES = (
    ("Kurnia Jaya", "Lalang", "Lalang Jaya", "Baru", "Mekar Jaya", "Padang", "Kelubi",
     "Buku Limau", "Mekar Jaya"),
    ("Gantung", "Lilangan", "Selinsing", "Jangkang", "Limbongan", "Lenggang", "Batu Penyu"),
    ("Dendang", "Jangkar Asam", "Balok", "Nyuruk"),
    ("Mayang", "Buding", "Pembaharuan", "Senyubuk", "Cendil", "Mentawak"),
    ("Air Kelik", "Mengkubang", "Sukamandi", "Burung Mandi", "Mempaya"),
    ("Simpang Tiga", "Lintang", "Renggiang", "Aik Madu"),
    ("Simpang Pesak", "Dukong", "Tanjung Batu Itam", "Tanjung Kelumpang"),
)
_OTHER_REGIONS = ("190101", "190102", "190201", "190203", "190301", "190401", "190501",
                  "197101", "197104", "317404", "327301", "337401", "127101", "737101",
                  "517101", "717101")
_STREETS = ("Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. Lipat Kajang", "Jl. Pramuka",
            "Jl. Merdeka", "Jl. Raya Gantung", "Jl. Kampung Baru", "Jl. Pelabuhan",
            "Jl. Masjid Al-Ikhlas", "Jl. Sekolah", "Jl. Air Mancur", "Jl. Jend. Gatot Subroto",
            "Jl. Depati Rahat", "Jl. Mayor Haryanto", "Gg. Pinang")
_MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "823", "851", "852", "853", "814",
                    "815", "816", "855", "856", "857", "858", "817", "818", "819", "859",
                    "877", "878", "831", "832", "838", "895", "896", "897", "898", "881",
                    "882", "887")
# February has 29 days in a NIK: its two-digit year cannot tell leap years apart.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# fmt: on


class Residents:
    """The people who come to the counters, made on demand from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.region_cum = cumulative([share for share, *_ in _REGIONS])
        self.persons: dict[int, Person] = {}

    def person(self, key: int) -> Person:
        """One resident of the regency, the same each time ``key`` comes back."""
        found = self.persons.get(key)
        if found is not None:
            return found
        rnd = self.rng.random
        _, men, women, families = _REGIONS[bisect.bisect_left(self.region_cum, rnd())]
        female = rnd() < 0.5
        firsts = women if female else men
        name = firsts[int(rnd() * len(firsts))]
        u = rnd()
        if u < 0.25:
            second = firsts[int(rnd() * len(firsts))]
            if second != name:
                name += " " + second
        if u > 0.15:
            family = families[int(rnd() * len(families))]
            if family not in name:
                name += " " + family
        district = int(rnd() * len(_DISTRICTS))
        if rnd() < 0.88:
            region = f"1906{district + 1:02d}"
        else:  # born elsewhere, living in Belitung Timur
            region = _OTHER_REGIONS[int(rnd() * len(_OTHER_REGIONS))]
        month = 1 + int(rnd() * 12)
        day = 1 + int(rnd() * _MONTH_DAYS[month - 1]) + (40 if female else 0)
        year = (1945 + int(rnd() * 62)) % 100
        nik = f"{region}{day:02d}{month:02d}{year:02d}{1 + int(rnd() * 2999):04d}"
        phone = None
        if rnd() < 0.85:
            digits = 8 if rnd() < 0.6 else 7
            phone = (
                f"+62{_MOBILE_PREFIXES[int(rnd() * len(_MOBILE_PREFIXES))]}"
                f"{int(rnd() * 10**digits):0{digits}d}"
            )
        address = None
        if rnd() < 0.7:
            villages = _VILLAGES[district]
            address = (
                f"{_STREETS[int(rnd() * len(_STREETS))]} No. {1 + int(rnd() * 120)}, "
                f"RT {1 + int(rnd() * 12):03d}/RW {1 + int(rnd() * 5):03d}, "
                f"Desa {villages[int(rnd() * len(villages))]}, "
                f"Kec. {_DISTRICTS[district]}"
            )
        found = self.persons[key] = (name, fold_name(name), nik, phone, address)
        return found

    def someone(self) -> str:
        """A relative's name, for documents collected on the applicant's behalf."""
        rnd = self.rng.random
        _, men, women, families = _REGIONS[bisect.bisect_left(self.region_cum, rnd())]
        firsts = women if rnd() < 0.5 else men
        return f"{firsts[int(rnd() * len(firsts))]} {families[int(rnd() * len(families))]}"


def cumulative(weights: list[float]) -> list[float]:
    """Running shares of ``weights``, for drawing one with ``bisect``."""
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0  # no rounding gap at the top for bisect
    return out
