"""Keep dated, append-only copies of every chart page and its data (frozen versions).

The archive lives OUTSIDE the built site, in `<project>/site_archive/` by default, because
`build/site/` and `site_src/data/` are rebuilt from scratch on every build. Layout:

    site_archive/v/manifest.json                 chart id → [{"version", "hash"}, …], oldest first
    site_archive/v/<version>/charts/<id>.html    the chart page as published that day
    site_archive/v/<version>/charts/<id>.csv     its data (UTF-8 with BOM)
    site_archive/v/<version>/charts/<id>.zip     CSV + README.txt
    site_archive/v/assets/<bundle-sha12>-<name>  the Plotly bundle those pages load, by content

`<version>` is the publish date (UTC; from SOURCE_DATE_EPOCH when set, else today), with
`.2`, `.3` … when one chart changes twice in a day. A chart is copied only when the hash of
its content differs from its latest version. Files in the archive are never rewritten or
deleted: writing a different file where one exists is refused. Every build copies the whole
archive into the generated site (`site_src/data/v/`), so old copies are served unchanged.
Keep `site_archive/` between publishes (commit it, or restore it in CI) or old copies are lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import EnvironmentProblem
from juesuan.fsutil import mirror_file, walk_files, write_bytes_if_changed
from juesuan.site.charts import Chart, chart_id, spec_json
from juesuan.site.charts import embed as charts_embed
from juesuan.site.embed import (
    VERSION_TOKEN,
    ChartMeta,
    PageLinks,
    chart_page,
    csv_bytes,
    h,
    summary,
    toolbar,
    zip_bytes,
)
from juesuan.site.load import Package

ARCHIVE_DIR = "site_archive"
MANIFEST = "manifest.json"

# version label → {suffix: bytes}: the files of one dated copy of a chart (html, csv, zip).
Render = Callable[[str], dict[str, bytes]]


def publish_date(environ: dict[str, str] | None = None) -> str:
    """Return the version date: SOURCE_DATE_EPOCH's UTC date when set, else today's (UTC)."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not epoch.isdigit():
        raise EnvironmentProblem(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def content_hash(files: dict[str, bytes]) -> str:
    """Return the SHA-256 of a chart's files (rendered with a placeholder version)."""
    digest = hashlib.sha256()
    for suffix in sorted(files):
        digest.update(suffix.encode() + b"\0" + hashlib.sha256(files[suffix]).digest())
    return digest.hexdigest()


@dataclass
class Archive:
    """The append-only store of dated chart copies under `root/v/`.

    The manifest is read once and saved by `save()` (the Publisher saves it when the build's
    pages are written). A build stopped before that leaves copies the manifest does not name;
    the next build gives its copies a fresh label (`<date>.2`) rather than touch them.
    """

    root: Path
    _manifest: dict[str, list[dict[str, str]]] | None = None

    @property
    def v(self) -> Path:
        return self.root / "v"

    def manifest(self) -> dict[str, list[dict[str, str]]]:
        """Return the manifest (chart id → versions, oldest first); empty when there is none."""
        path = self.v / MANIFEST
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EnvironmentProblem(f"{path}: unreadable manifest ({exc}); restore it from a backup") from exc
        return {k: list(v) for k, v in data.items()}

    def _write_manifest(self, manifest: dict[str, list[dict[str, str]]]) -> None:
        path = self.v / MANIFEST
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # never half-written

    def put(self, rel: str, data: bytes) -> Path:
        """Write `v/<rel>` once; an existing file must already hold the same bytes."""
        path = self.v / rel
        if path.exists():
            if path.read_bytes() != data:
                raise EnvironmentProblem(f"{path} exists with other content; archived copies are never rewritten")
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return path

    def put_bundle(self, bundle: Path) -> str:
        """Archive the Plotly bundle by content; return its path relative to `v/`."""
        data = bundle.read_bytes()
        rel = f"assets/{hashlib.sha256(data).hexdigest()[:12]}-{bundle.name}"
        self.put(rel, data)
        return rel

    def freeze(self, charts: dict[str, Render], date: str) -> dict[str, str]:
        """Write a dated copy of each chart whose content changed; return chart id → latest version.

        `charts` maps a chart id to the function rendering its files for a version label; it
        is rendered once with a placeholder label to hash the content.
        """
        if self._manifest is None:
            self._manifest = self.manifest()
        manifest = self._manifest
        latest: dict[str, str] = {}
        for cid in sorted(charts):
            render = charts[cid]
            digest = content_hash(render(VERSION_TOKEN))
            versions = manifest.setdefault(cid, [])
            if versions and versions[-1]["hash"] == digest:
                latest[cid] = versions[-1]["version"]
                continue
            used = {v["version"] for v in versions}
            label, n = date, 1
            while label in used or (self.v / label / "charts" / f"{cid}.html").exists():
                n += 1
                label = f"{date}.{n}"
            for suffix, data in sorted(render(label).items()):
                self.put(f"{label}/charts/{cid}{suffix}", data)
            versions.append({"version": label, "hash": digest})
            latest[cid] = label
        return latest

    def latest(self, cid: str) -> str | None:
        """Return a chart's latest dated version, None when it has none."""
        if self._manifest is None:
            self._manifest = self.manifest()
        versions = self._manifest.get(cid)
        return versions[-1]["version"] if versions else None

    def save(self) -> None:
        """Write the manifest (atomically) when this build changed or created it."""
        if self._manifest is not None and (self._manifest != self.manifest() or not (self.v / MANIFEST).exists()):
            self._write_manifest(self._manifest)

    def copy_into(self, dst: Path) -> list[Path]:
        """Copy the whole archive (`v/`) to `dst` (in the generated site); return the files copied."""
        if not self.v.is_dir():
            return []
        copied = []
        for rel, entry in sorted(walk_files(self.v)):
            if entry.is_file(follow_symlinks=False) and not entry.name.endswith(".tmp"):
                copied.append(dst / rel)
                mirror_file(self.v / rel, copied[-1])  # the archive's own mtime: an unchanged copy is not read again
        return copied


# Publishing the charts of the site -----------------------------------------------------------

# The standard tables each report chart draws (for its source pages).
CHART_TABLES = {"income": "01", "expenditure": "03", "basic": "06", "three-public": "07"}
# The other charts' rows carry their own page and line: the resource each draws.
CHART_RESOURCES = {"performance": "performance_projects", "budget-execution": "budget_execution"}
_BUNDLE_TOKEN = "{{bundle}}"


def _ints(value: object) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int):
        return [value]
    return [int(x) for x in str(value).replace(";", ",").split(",") if x.strip().isdigit()]


class Publisher:
    """Write each chart's page and data, freeze a dated copy, and return the HTML under it.

    Pages are written under `out_dir` (the generated site folder): the latest chart page at
    `charts/<id>.html` (+ .csv, .zip) and, via the archive, dated copies at
    `v/<version>/charts/<id>.html` (+ .csv, .zip).
    """

    def __init__(self, package: Package, out_dir: Path, archive: Archive, bundle: Path, date: str) -> None:
        self.package = package
        self.out_dir = out_dir
        self.archive = archive
        self.date = date
        self.bundle = bundle
        self.archived_bundle = archive.put_bundle(bundle)
        self.written: list[Path] = []
        licences = package.descriptor.get("licenses") or [{}]
        self.licence = " ".join(x for x in (licences[0].get("title"), licences[0].get("path")) if x) or ""
        self.versions: dict[str, str] = {}

    def meta(self, rid: str, chart: Chart) -> ChartMeta:
        """Return where the chart comes from: its report and the pages of the tables it draws."""
        report = next(iter(self.package.rows("reports", rid)), {"report_id": rid})
        if chart.key in CHART_TABLES:
            rows = [r for r in self.package.rows("line_items", rid) if r.get("table") == CHART_TABLES[chart.key]]
        else:
            rows = self.package.rows(CHART_RESOURCES.get(chart.key, "performance_projects"), rid)
        pages = [p for r in rows for p in _ints(r.get("page"))]
        lines = [n for r in rows for n in _ints(r.get("line"))] if not pages else []
        department = str(report.get("department") or rid)
        year = str(report.get("year") or "")
        kind = str(report.get("kind") or "")
        return ChartMeta(chart_id(rid, chart.key), rid, department, year,
                         f"{department}{year}年度{kind}", kind, sorted(set(pages)), self.licence,
                         sorted(set(lines)))

    def _files(self, chart: Chart, meta: ChartMeta, links: PageLinks) -> dict[str, bytes]:
        return {".html": chart_page(chart, meta, links).encode("utf-8"), ".csv": csv_bytes(chart),
                ".zip": zip_bytes(chart, meta, links.version, self.dated_url(meta.chart_id, links.version))}

    def dated_url(self, cid: str, version: str) -> str:
        """Return the dated copy's address for the README: absolute when $JUESUAN_SITE_URL is set."""
        rel = f"data/v/{version}/charts/{cid}.html"
        base = os.environ.get("JUESUAN_SITE_URL", "")
        return f"{base.rstrip('/')}/{rel}" if base else f"{rel}（相对于网站根目录）"

    def block(self, rid: str, chart: Chart) -> str:
        """Publish one chart; return its anchor, drawing, toolbar (the table follows at the call site)."""
        if chart.figure is None:
            return charts_embed(chart, f"{chart_id(rid, chart.key)}--spec")
        meta = self.meta(rid, chart)
        cid = meta.chart_id

        def render(version: str) -> dict[str, bytes]:
            bundle = _BUNDLE_TOKEN if version == VERSION_TOKEN else f"../../{self.archived_bundle}"
            return self._files(chart, meta, PageLinks(bundle, f"../../../reports/{rid}.html", f"{cid}.csv",
                                                      f"{cid}.zip", version, f"{cid}.html"))

        version = self.archive.freeze({cid: render}, self.date)[cid]
        self.versions[cid] = version
        charts_dir = self.out_dir / "charts"
        charts_dir.mkdir(parents=True, exist_ok=True)
        bundle = os.path.relpath(self.bundle, charts_dir).replace(os.sep, "/")
        dated_from_charts = f"../v/{version}/charts/{cid}.html"
        files = self._files(chart, meta, PageLinks(bundle, f"../reports/{rid}.html", f"{cid}.csv", f"{cid}.zip",
                                                   version, dated_from_charts))
        for suffix, data in files.items():
            path = charts_dir / f"{cid}{suffix}"
            write_bytes_if_changed(path, data)
            self.written.append(path)
        # Links from the report page (reports/<rid>.html).
        bar = toolbar(chart, meta, f"../charts/{cid}.html", f"../v/{version}/charts/{cid}.html", version,
                      f"../charts/{cid}.csv", f"../charts/{cid}.zip")
        label = h(chart.title)
        return (
            f'<div class="js-chart juesuan-chart" data-spec-id="{h(cid)}--spec" id="{h(cid)}" role="img" '
            f'aria-label="{h(summary(chart))}"></div>\n'
            f'<script type="application/json" id="{h(cid)}--spec">{spec_json(chart.figure)}</script>\n'
            f'<p class="juesuan-chart-link"><a href="#{h(cid)}" title="图表链接：{label}">'
            f"¶ 图表链接</a></p>\n{bar}"
        )

    def finish(self) -> list[Path]:
        """Copy the archive (old and new dated copies) into the generated site; return files written."""
        self.archive.save()
        return self.written + self.archive.copy_into(self.out_dir / "v")


PUBLISHER: ContextVar[Publisher | None] = ContextVar("juesuan_chart_publisher", default=None)


def chart_block(rid: str, chart: Chart) -> str:
    """Return the HTML of a chart on a report page, published by the active Publisher when there is one."""
    publisher = PUBLISHER.get()
    if publisher is None:
        return charts_embed(chart, f"{chart_id(rid, chart.key)}--spec")
    return publisher.block(rid, chart)
