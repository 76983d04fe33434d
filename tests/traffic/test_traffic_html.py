"""The HTML report, rendered by headless Chromium: rows, charts, sorting, no network, escaping."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli
from traffic_support import DATA, SHOP, clf, write_log

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)

# Runs after the page's own script: click column headers as a user would, and record the
# order of the rows after each click on <body> for the DOM dump to show.
CLICKS = """
<script>
function order() {
  return Array.prototype.map.call(
    document.querySelectorAll('#operations tbody tr'),
    function (row) { return row.getAttribute('data-operation'); }).join('|');
}
function click(key) {
  document.querySelector('#operations th[data-key="' + key + '"] button').click();
  return document.querySelector('#operations th[data-key="' + key + '"]').getAttribute('aria-sort');
}
document.body.setAttribute('data-p99-first', click('p99') + ':' + order());
document.body.setAttribute('data-p99-second', click('p99') + ':' + order());
document.body.setAttribute('data-name', click('operation') + ':' + order());
</script>
"""


def render(html: Path, tmp_path: Path) -> str:
    """The DOM after Chromium loaded ``html`` and ran its scripts."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt install chromium)")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<body" in result.stdout
    return result.stdout


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def select(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.found
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def html_report(tmp_path: Path, *logs: Path) -> Path:
    out = tmp_path / "report.html"
    result = run_cli(
        "traffic", str(SHOP), *map(str, logs), "-f", f"html:{out}", "-f", "text", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert "Operations (7 of 9 called" in result.stdout  # the text report went to stdout
    return out


def test_the_page_fetches_nothing(tmp_path: Path) -> None:
    page = html_report(tmp_path, DATA / "combined.log").read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    elements = Elements(page)
    assert not [a for tag, a in elements.found if tag in ("link", "img", "iframe", "object")]
    assert not [a for tag, a in elements.found if "src" in a or "href" in a]
    assert not re.search(r"url\(|@import", page)


def test_chromium_renders_rows_charts_and_sorts(tmp_path: Path) -> None:
    html = html_report(tmp_path, DATA / "combined.log")
    page = html.read_text(encoding="utf-8")
    html.write_text(page.replace("</body>", CLICKS + "</body>"), encoding="utf-8")
    dom = Elements(render(html, tmp_path))
    rows = dom.select("tr")
    operations = [r["data-operation"] for r in rows if "data-operation" in r]
    assert len(operations) == 9
    # The busiest operation's bar is the full width; every called operation has one.
    bars = [b for b in dom.select("div", **{"class": "bars"}) if "data-calls" in b]
    assert len(bars) == 7
    assert max(int(b["data-calls"]) for b in bars) == 2
    widths = [a["style"] for a in dom.select("div", **{"class": "bar calls"})]
    assert "width:100.00%" in widths
    shares = [b for b in dom.select("div", **{"class": "bars"}) if "data-error-share" in b]
    assert {b["data-label"]: float(b["data-error-share"]) for b in shares}[
        "GET /products/{id}"
    ] == 0.5
    assert {b["data-label"]: float(b["data-redirect-share"]) for b in shares}["GET /orders/"] == 0.5

    (body,) = dom.select("body")
    by_p99 = [
        "GET /products/{id}",  # 100 ms
        "GET /reports/{name}.{format}",  # 50
        "POST /products",  # 30
        "GET /orders/",  # 20
        "GET /products",  # 12
        "GET /products/featured",  # 7
        "DELETE /products/{id}",  # 6
    ]
    never_called = ["GET /health", "GET /orders/{orderId}/lines"]  # table order: by name
    first, second = body["data-p99-first"], body["data-p99-second"]
    assert first.split(":", 1) == ["descending", "|".join(by_p99 + never_called)]
    # Again: ascending; operations without a p99 stay last.
    assert second.split(":", 1) == ["ascending", "|".join(by_p99[::-1] + never_called)]
    direction, names = body["data-name"].split(":", 1)
    assert direction == "ascending"
    # The browser's collation (localeCompare) puts punctuation before letters.
    assert names.split("|") == [
        "DELETE /products/{id}",
        "GET /health",
        "GET /orders/",
        "GET /orders/{orderId}/lines",
        "GET /products",
        "GET /products/{id}",
        "GET /products/featured",
        "GET /reports/{name}.{format}",
        "POST /products",
    ]


def test_paths_from_the_log_are_escaped(tmp_path: Path) -> None:
    hostile = "/api/v1/%3Cscript%3Ealert(1)%3C/script%3E/<img>"
    log = write_log(tmp_path, [clf("GET", "/api/v1/products", 200), clf("GET", hostile, 200)])
    out = tmp_path / "hostile.html"
    result = run_cli("traffic", str(SHOP), str(log), "-f", f"html:{out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;" in page
    dom = Elements(render(out, tmp_path))
    assert len(dom.select("script")) == 1  # the page's own
    assert not dom.select("img")


def test_the_page_has_time_tags_and_clients(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: x, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get: {tags: [alpha], responses: {'200': {description: ok}}}\n"
        "  /b:\n"
        "    get: {tags: [beta], responses: {'200': {description: ok}}}\n",
        encoding="utf-8",
    )
    lines = [
        clf("GET", "/a", 200).replace("10:00:00", f"{hour}:00:00")
        for hour in ("10", "10", "11", "13")
    ] + [clf("GET", "/b", 200).replace("203.0.113.9", "198.51.100.4")]
    log = write_log(tmp_path, lines)
    out = tmp_path / "report.html"
    result = run_cli("traffic", str(spec), str(log), "-f", f"html:{out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    timeline = page[page.index('id="timeline"') :]
    assert timeline.count('data-label="all"') == 1
    assert 'title="2026-11-28T10:00: 3"' in timeline
    assert 'title="2026-11-28T13:00: 1"' in timeline
    assert '<table id="tags"' in page and '<table id="clients"' in page
    assert "<code>198.51.100.4</code>" in page
