"""The synthetic corpus: distinct departments and years, amounts scaled exactly, no new errors."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.pipeline import parse_report
from juesuan.synth import Seed, load_seeds, scale_amounts, shift_years, write_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_scale_amounts_keeps_rates_codes_and_counts() -> None:
    text = "支出合计\t1,147.99\t3658.4 4\n增长 5.20%，编码 2010350，在职 12 人，合计 -0.50 万元"
    assert scale_amounts(text, 3) == "支出合计\t3,443.97\t10975.32\n增长 5.20%，编码 2010350，在职 12 人，合计 -1.50 万元"


def test_shift_years_moves_both_years() -> None:
    assert shift_years("2024年度决算，比2023年增加，2025 年3月", -5) == "2019年度决算，比2018年增加，2020 年3月"


@pytest.fixture(scope="module")
def seeds() -> list[Seed]:
    return load_seeds(sorted((ROOT / "reports").glob("*.txt")))


def _errors(path: Path) -> Counter[str]:
    return Counter(f.rule for f in parse_report(path).findings if f.severity == "error")


def test_synthetic_reports_are_distinct_and_scaled(seeds: list[Seed], tmp_path: Path) -> None:
    assert seeds, "no bundled text export"
    files = write_corpus(seeds, 4, tmp_path)
    seed_path = ROOT / "reports" / f"{seeds[0].name}.txt"
    seed = parse_report(seed_path)
    seed_amounts = {(i.table, i.row, i.col): i.amount for i in seed.line_items}
    metas = []
    for path in files:
        data = parse_report(path)
        metas.append((data.meta.report_id, data.meta.department, data.meta.year))
        ratios = {data_amount / seed_amounts[key] for key, data_amount in
                  ((k, i.amount) for i in data.line_items for k in [(i.table, i.row, i.col)])
                  if data_amount is not None and seed_amounts.get(key)}
        # One exact integer factor for every cell of the report.
        assert len(ratios) == 1 and next(iter(ratios)) in {Decimal(k) for k in seeds[0].factors}, path.name
        # No error the seed does not have.
        assert _errors(path) <= _errors(seed_path), path.name
    assert len({m[0] for m in metas}) == len({m[1] for m in metas}) == len(files)
    assert len({m[2] for m in metas}) > 1
    assert all(seeds[0].department in m[1] for m in metas)


@pytest.mark.corpus
def test_pdf_twins_as_seeds_give_no_new_errors(corpus: Path, tmp_path: Path) -> None:
    pdfs = sorted(corpus.glob("*-final.pdf"))
    seeds = load_seeds(pdfs)
    assert seeds
    base = {p.stem: _errors(p) for p in pdfs}
    for i, path in enumerate(write_corpus(seeds, 2 * len(seeds), tmp_path)):
        seed = seeds[i % len(seeds)]  # write_corpus takes the seeds in turn
        assert _errors(path) <= base[seed.name], path.name
