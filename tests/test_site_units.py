"""The pages stage makes a report's files again only when what they are made of changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from _site_package import REPORT_ID
from juesuan.site import build, pages, units, xlsx
from juesuan.site import dirty as dirty_mod
from juesuan.site.load import load_package
from juesuan.site.pages import write_pages
from site_helpers import scratch_project
from test_charts_embed import DAY1, DAY2, OTHER_ID, write_package
from tree_bytes import tree_bytes

REPORTS = {OTHER_ID: "乙单位", REPORT_ID: "甲单位"}


def _made_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the report pages made (not kept) from here on."""
    made: list[str] = []
    real = pages.report_page

    def counting(package: object, report: dict[str, object], sources: object) -> str:
        made.append(str(report["report_id"]))
        return real(package, report, sources)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "report_page", counting)
    return made


def _without_ledgers(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if not k.endswith((units.LEDGER, xlsx.HASHES))}


def test_one_changed_report_is_the_only_one_made_again_and_the_result_equals_a_full_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    out, archive = tmp_path / "inc" / "data", tmp_path / "inc" / "archive"
    write_pages(write_package(tmp_path / "p1", REPORTS), out, archive_dir=archive)
    made = _made_pages(monkeypatch)
    write_pages(tmp_path / "p1", out, archive_dir=archive)
    assert made == []  # nothing changed: every unit kept
    # A full build from the same state, without the ledger, is the reference.
    shutil.copytree(tmp_path / "inc", tmp_path / "full")
    (tmp_path / "full" / "data" / units.LEDGER).unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    changed = write_package(tmp_path / "p2", REPORTS, bump_three_public=OTHER_ID)
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "reports").glob("*.md")}
    write_pages(changed, out, archive_dir=archive)
    assert made == [OTHER_ID]
    assert (out / "reports" / f"{REPORT_ID}.md").stat().st_mtime_ns == mtimes[out / "reports" / f"{REPORT_ID}.md"]
    write_pages(changed, tmp_path / "full" / "data", archive_dir=tmp_path / "full" / "archive")
    assert made == [OTHER_ID, OTHER_ID, REPORT_ID]
    assert _without_ledgers(tree_bytes(out)) == _without_ledgers(tree_bytes(tmp_path / "full" / "data"))
    assert tree_bytes(archive) == tree_bytes(tmp_path / "full" / "archive")


def test_a_unit_whose_file_was_changed_or_removed_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    out, archive = tmp_path / "data", tmp_path / "archive"
    package = write_package(tmp_path / "p1", REPORTS)
    write_pages(package, out, archive_dir=archive)
    page = out / "reports" / f"{REPORT_ID}.md"
    good = page.read_bytes()
    made = _made_pages(monkeypatch)
    page.write_bytes(b"edited by hand\n")
    chart = next((out / "charts").glob(f"{OTHER_ID}--*.csv"))
    chart.unlink()
    write_pages(package, out, archive_dir=archive)
    assert sorted(made) == sorted(REPORTS)
    assert page.read_bytes() == good and chart.is_file()


def test_a_code_change_or_another_site_address_makes_every_unit_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    out, archive = tmp_path / "data", tmp_path / "archive"
    package = write_package(tmp_path / "p1", REPORTS)
    write_pages(package, out, archive_dir=archive)
    made = _made_pages(monkeypatch)
    monkeypatch.setenv("JUESUAN_SITE_URL", "https://example.org/juesuan/")
    write_pages(package, out, archive_dir=archive)
    assert sorted(made) == sorted(REPORTS)
    monkeypatch.setattr(units, "code_version", lambda: "another")
    write_pages(package, out, archive_dir=archive)
    assert len(made) == 2 * len(REPORTS)


def test_reads_are_recorded_per_report_and_digests_follow_the_rows(tmp_path: Path) -> None:
    one = load_package(write_package(tmp_path / "p1", REPORTS))
    two = load_package(write_package(tmp_path / "p2", REPORTS, bump_three_public=OTHER_ID))
    with one.recording() as reads:
        one.rows("three_public", REPORT_ID)
        one.rows("rules")
        assert one.has("checks")  # presence is the descriptor's: not a read
    assert reads == {("three_public", REPORT_ID), ("rules", None)}
    assert one.digest("three_public", REPORT_ID) == two.digest("three_public", REPORT_ID)
    assert one.digest("three_public", OTHER_ID) != two.digest("three_public", OTHER_ID)
    assert one.digest("three_public") != two.digest("three_public")
    assert one.digest("line_items", OTHER_ID) == two.digest("line_items", OTHER_ID)


# MkDocs renders only what changed ------------------------------------------------------------


def _commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the child commands the site build runs."""
    seen: list[list[str]] = []
    real = build.run_child

    def spy(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
        seen.append(cmd)
        return real(cmd, cwd, env)

    monkeypatch.setattr(build, "run_child", spy)
    return seen


def _site_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[list[str]]]:
    """Return a scratch project, its site folder and the child commands its builds will run (recorded)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    project = scratch_project(tmp_path / "project")
    return project, project / "build" / "site", _commands(monkeypatch)


def test_a_dirty_build_equals_a_clean_one_and_never_writes_through_to_the_last_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, site, commands = _site_project(tmp_path, monkeypatch)
    build.build_site(project, write_package(tmp_path / "p1", REPORTS), site)
    assert "--dirty" not in commands[0]  # no last site: clean
    page = site / "data" / "reports" / f"{OTHER_ID}.html"
    # Hard links held outside: what the last site's files held must stay so through the next build.
    held = {p: (tmp_path / f"held-{i}", p.read_bytes()) for i, p in enumerate((page, site / "sitemap.xml.gz", site / "index.html"))}
    for p, (link, _) in held.items():
        os.link(p, link)
    build.build_site(project, write_package(tmp_path / "p2", REPORTS, bump_three_public=OTHER_ID), site)
    assert "--dirty" in commands[2]
    assert page.read_bytes() != held[page][1]  # rendered again with the new figure
    for link, before in held.values():
        assert link.read_bytes() == before
    dirty_tree = tree_bytes(site)
    # The same pages built clean (the state file removed: nothing to build dirty over).
    (site / dirty_mod.STATE).unlink()
    build.build_site(project, tmp_path / "p2", site)
    assert "--dirty" not in commands[4]
    assert tree_bytes(site) == dirty_tree


def test_the_search_index_is_made_again_only_when_a_page_it_reads_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, site, commands = _site_project(tmp_path, monkeypatch)

    def indexed() -> int:
        return sum("pagefind" in cmd for cmd in commands)

    build.build_site(project, write_package(tmp_path / "p1", REPORTS), site)
    assert indexed() == 1
    index = {k: v for k, v in tree_bytes(site).items() if k.startswith("pagefind/")}
    assert "pagefind/pagefind-entry.json" in index
    build.build_site(project, tmp_path / "p1", site)
    assert indexed() == 1  # the same pages: the last index is kept
    assert {k: v for k, v in tree_bytes(site).items() if k.startswith("pagefind/")} == index
    # A page edited in place behind juesuan's back (its hash recorded is stale) is read again.
    page = site / "data" / "reports" / f"{OTHER_ID}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("乙单位", "丙单位"), encoding="utf-8")
    build.build_site(project, tmp_path / "p1", site)
    assert indexed() == 2
    build.build_site(project, write_package(tmp_path / "p2", REPORTS, bump_three_public=OTHER_ID), site)
    assert indexed() == 3  # a report page changed
    shutil.rmtree(site / "pagefind")
    build.build_site(project, tmp_path / "p2", site)
    assert indexed() == 4 and (site / "pagefind" / "pagefind-entry.json").is_file()  # no index to keep


def test_a_dirty_build_is_refused_when_the_config_or_the_pages_changed(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    docs = project / "site_src"
    env = {"SOURCE_DATE_EPOCH": "0"}
    last = dirty_mod.site_state(project, docs, env, "site")
    assert dirty_mod.may_build_dirty(last, dirty_mod.site_state(project, docs, env, "site"))
    (docs / "extra.txt").write_text("a static file more\n", encoding="utf-8")
    assert dirty_mod.may_build_dirty(last, dirty_mod.site_state(project, docs, env, "site"))  # copied by MkDocs
    (docs / "new.md").write_text("# 新页\n", encoding="utf-8")
    assert not dirty_mod.may_build_dirty(last, dirty_mod.site_state(project, docs, env, "site"))  # the navigation may change
    (docs / "new.md").unlink()
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not dirty_mod.may_build_dirty(last, dirty_mod.site_state(project, docs, env, "site"))
    assert not dirty_mod.may_build_dirty(last, dirty_mod.site_state(project, docs, {"SOURCE_DATE_EPOCH": "1"}, "site"))
    assert not dirty_mod.may_build_dirty(None, last)


def test_a_table_digest_does_not_depend_on_how_the_table_is_chunked() -> None:
    import numpy as np
    import pyarrow as pa

    from juesuan.site.load import group_digests, table_digest

    whole = pa.table({"report_id": ["a", "a", "b", "b", "b"], "x": ["1", "", "三公", "4.00", "5"]})
    chunked = pa.concat_tables([whole.slice(0, 1), whole.slice(1, 3), whole.slice(4)])
    assert chunked.column("x").num_chunks == 3
    assert table_digest(whole) == table_digest(chunked)
    groups = {"a": np.array([0, 1]), "b": np.array([2, 3, 4]), "odd": np.array([0, 2, 4])}
    by_group = group_digests(chunked, groups)
    assert by_group == group_digests(whole, groups)
    assert by_group["b"] == table_digest(whole.slice(2)) and by_group["odd"] == table_digest(whole.take([0, 2, 4]))
    assert len(set(by_group.values())) == 3
