"""Generate a large, realistic procedure catalogue for benchmarking the YAML import.

Usage: ``python bench/gen_catalogue.py N OUT.yaml [--seed S]``

Writes a handful of agency documents followed by N procedure documents (about 40 lines each,
Indonesian text, the shape of docs/catalogue.md) into one multi-document YAML file. The output is
deterministic for a given N and seed, so timings can be compared between runs.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

AGENCIES = [
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kepala Dinas"),
    ("DINKES", "Dinas Kesehatan", "Kepala Dinas"),
    ("DISHUB", "Dinas Perhubungan", "Kepala Dinas"),
    ("DINSOS", "Dinas Sosial", "Kepala Dinas"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Kepala Badan"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "Kepala Dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "Kepala Dinas"),
]

SUBJECTS = [
    "KTP Elektronik",
    "Kartu Keluarga",
    "Akta Kelahiran",
    "Akta Kematian",
    "Surat Pindah",
    "Izin Usaha Mikro",
    "Persetujuan Bangunan Gedung",
    "Sertifikat Laik Fungsi",
    "Izin Praktik Bidan",
    "Izin Apotek",
    "Izin Trayek",
    "Uji Berkala Kendaraan",
    "Surat Keterangan Tidak Mampu",
    "Rekomendasi Bantuan Sosial",
    "Pajak Bumi dan Bangunan",
    "Izin Lingkungan",
    "Izin Reklame",
    "Tanda Daftar Gudang",
    "Kartu Identitas Anak",
    "Legalisir Dokumen Kependudukan",
]
ACTIONS = ["Penerbitan", "Perpanjangan", "Perubahan", "Penggantian", "Pencabutan"]
CATEGORIES = ["Kependudukan", "Perizinan", "Kesehatan", "Perhubungan", "Sosial", "Pendapatan"]
REQUIREMENTS = [
    "Fotokopi Kartu Tanda Penduduk elektronik",
    "Fotokopi Kartu Keluarga",
    "Surat pengantar dari RT/RW dan kelurahan",
    "Surat pernyataan bermeterai Rp10.000",
    "Formulir permohonan yang telah diisi lengkap",
    "Surat kuasa apabila dikuasakan",
    "Fotokopi Nomor Pokok Wajib Pajak",
    "Bukti pelunasan Pajak Bumi dan Bangunan tahun berjalan",
    "Dokumen asli untuk diperlihatkan kepada petugas",
    "Denah lokasi usaha",
]
STEPS = [
    ("Penerimaan dan pemeriksaan kelengkapan berkas", "Petugas loket"),
    ("Verifikasi dan validasi data pemohon", "Operator"),
    ("Peninjauan lapangan apabila diperlukan", "Tim teknis"),
    ("Pemeriksaan dan paraf konsep dokumen", "Kepala Bidang"),
    ("Penandatanganan dokumen", "Kepala Dinas"),
    ("Pencetakan dan pencatatan dalam register", "Operator"),
    ("Penyerahan dokumen kepada pemohon", "Petugas loket"),
]
LAWS = [
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 "
    "tentang Administrasi Kependudukan",
    "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis "
    "Risiko",
    "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan",
    "Peraturan Daerah Kabupaten Belitung Timur Nomor 3 Tahun 2023 tentang Pajak Daerah dan "
    "Retribusi Daerah",
    "Peraturan Bupati Belitung Timur Nomor 12 Tahun 2022 tentang Standar Pelayanan Publik",
]


def _quote(text: str) -> str:
    # Values with ':' or '#' would confuse a plain YAML scalar, so quote them all the same way.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def agency_doc(code: str, name: str, title: str, rng: random.Random) -> str:
    nip = f"19{rng.randint(60, 89)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + "".join(
        str(rng.randint(0, 9)) for _ in range(10)
    )
    return (
        "kind: agency\n"
        f"code: {code}\n"
        f"name: {name}\n"
        f"address: Jl. Jenderal Sudirman No. {rng.randint(1, 200)}, Manggar\n"
        f'phone: "(0719) {rng.randint(91000, 99999)}"\n'
        f'head: {{name: "Drs. H. Ahmad Fauzi, M.Si.", nip: "{nip}", title: {title}}}\n'
    )


def procedure_doc(i: int, rng: random.Random) -> str:
    agency = rng.choice(AGENCIES)[0]
    action = rng.choice(ACTIONS)
    subject = rng.choice(SUBJECTS)
    code = f"{agency}-P{i:05d}"
    lines = [
        "kind: procedure",
        f"code: {code}",
        f"name: {action} {subject}",
        f"agency: {agency}",
        f"category: {rng.choice(CATEGORIES)}",
        "description: >-",
        f"  Pelayanan {action.lower()} {subject.lower()} bagi penduduk Kabupaten Belitung Timur",
        "  yang telah memenuhi persyaratan administrasi sesuai ketentuan peraturan",
        "  perundang-undangan yang berlaku.",
        "legal_basis:",
    ]
    lines += [f"  - {law}" for law in rng.sample(LAWS, 4)]
    lines.append("requirements:")
    for req in rng.sample(REQUIREMENTS, 7):
        if rng.random() < 0.3:
            lines.append(
                f"  - {{name: {req}, copies: {rng.randint(1, 3)}, optional: "
                f"{'true' if rng.random() < 0.2 else 'false'}, note: dibawa saat pengambilan}}"
            )
        else:
            lines.append(f"  - {req}")
    lines.append("steps:")
    steps = [STEPS[0], *rng.sample(STEPS[1:-1], 3), STEPS[-1]]
    total = 0
    for name, actor in steps:
        days = rng.randint(0, 2)
        total += days
        lines.append(f"  - {{name: {name}, actor: {actor}, days: {days}}}")
    lines += [
        f"sla_days: {total}",
        f"fee: {rng.choice([0, 0, 0, 10000, 25000, 50000, 150000])}",
        "fee_basis: " + _quote("Peraturan Daerah Nomor 3 Tahun 2023 tentang Retribusi Daerah"),
        f"product: {subject}",
        "complaints: >-",
        "  Pengaduan, saran dan masukan disampaikan melalui kotak pengaduan, SP4N-LAPOR!,",
        "  WhatsApp layanan (0819) 1234 5678, atau langsung kepada petugas pengaduan.",
        "service_hours: " + _quote("Senin-Kamis 08.00-15.00; Jumat 08.00-11.00"),
    ]
    # Pad with a comment block so each document is about 40 lines like a hand-written one.
    lines += ["# Dokumen ini dikelola oleh bagian organisasi.", "# Perbarui bila ada perubahan."]
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    docs = [agency_doc(code, name, title, rng) for code, name, title in AGENCIES]
    docs += [procedure_doc(i, rng) for i in range(n)]
    return "---\n".join(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of procedure documents")
    parser.add_argument("out", type=Path, help="output YAML file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.n, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
