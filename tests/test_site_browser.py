"""The site in a real browser: Debian's Chromium driven by Playwright, from ``file://``.

Open the home page, search "Danon", follow to his page, see his claims with their outlets,
follow a claim to its article; no console error, no request that is not ``file://`` (every
request is routed through the test and anything else fails it), no serious or critical axe-core
violation, and screenshots at desktop (1280 px) and phone (390 px) widths kept in
``tests/artifacts/`` (git-ignored).

Needs the ``playwright`` Python package (the test extra), ``/usr/bin/chromium`` (or
``NEWSLD_CHROMIUM``) and axe-core's ``axe.min.js`` at ``NEWSLD_AXE_JS`` (``.ci/run`` installs
all three; Playwright never downloads a browser here). Each missing piece skips with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsld.site.pages import generate

CHROMIUM = os.environ.get("NEWSLD_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium, or set NEWSLD_CHROMIUM)",
        allow_module_level=True,
    )


def _axe_script() -> str | None:
    path = os.environ.get("NEWSLD_AXE_JS")
    if path and Path(path).is_file():
        return Path(path).read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="module")
def site(seed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    generate(seed_release, out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watch:
    """A page whose console errors and non-file requests are recorded (and aborted)."""

    def __init__(self, browser: Any, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://") or url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def clean(self) -> None:
        assert not self.foreign, f"requests that leave the page: {self.foreign}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.failed, f"failed requests: {self.failed}"

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_search_danon_follow_to_his_claims_and_an_article(
    site: Path, browser: Any, width: int
) -> None:
    label = "desktop" if width > 600 else "phone"
    watch = Watch(browser, width)
    page = watch.page
    try:
        page.goto((site / "index.html").as_uri())
        assert page.locator("h1").inner_text().startswith("Hezbollah")
        watch.shot(f"home-{label}")
        page.get_by_label("Search speakers, claims and articles").fill("Danon")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search.html?q=Danon")
        first = page.locator("#search-results li").first
        first.wait_for()
        assert "Danny Danon" in first.inner_text()
        watch.shot(f"search-{label}")
        first.get_by_role("link", name="Danny Danon").click()
        page.wait_for_url("**/entity/danny-danon.html")
        assert page.locator("h1").inner_text() == "Danny Danon"
        claims = page.locator("article.claim")
        assert claims.count() == 5  # his eight reports are five statements
        said = page.locator("#said").locator("xpath=..").inner_text()
        assert "The Times of Israel" in said and "The Jerusalem Post" in said
        watch.shot(f"speaker-{label}")
        link = claims.first.locator(".claim-source a[href*='article/']").first
        headline = link.inner_text()
        link.click()
        page.wait_for_url("**/article/*.html#*")
        assert page.locator("h1").inner_text() == headline
        anchor = page.url.rsplit("#", 1)[1]
        assert page.locator(f"[id='{anchor}']").is_visible()
        watch.shot(f"article-{label}")
        watch.clean()
    finally:
        watch.close()


def test_no_serious_accessibility_violations(site: Path, browser: Any) -> None:
    script = _axe_script()
    if script is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the axe-core check: NEWSLD_AXE_JS names no axe.min.js")
        pytest.skip("no axe-core: set NEWSLD_AXE_JS to axe.min.js (npm install axe-core)")
    watch = Watch(browser, 1280)
    names = [
        "index.html",
        "search.html",
        "entity/danny-danon.html",
        "article/toi-2018-06-10-hamas-hezbollah-train-thousands.html",
        "speakers.html",
        "vocabulary.html",
    ]
    names.append(next(site.glob("event/**/*.html")).relative_to(site).as_posix())
    try:
        for name in names:
            watch.page.goto((site / name).as_uri() + ("?q=Danon" if "search" in name else ""))
            # evaluated by the test through the DevTools protocol: the page's CSP allows no
            # inline script, and none is added to it
            watch.page.evaluate(script)
            result = watch.page.evaluate("async () => await axe.run(document, { preload: false })")
            serious = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"{name}: {serious}"
        watch.clean()
    finally:
        watch.close()


def test_artifacts_folder_is_ignored_by_git() -> None:
    ignore = (Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "/tests/artifacts/" in ignore.splitlines()
