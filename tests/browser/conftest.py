"""Real Chromium (Debian's), driven by Playwright. Never downloads a browser."""

import os
import shutil

import pytest

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"browser reported errors: {errors}"


DEMO_TOTP_KEY = __import__("base64").b32decode("JBSWY3DPEHPK3PXP")


@pytest.fixture
def as_user(browser, live_server):
    """as_user("smo") -> a page signed in as that demo user (password, then TOTP when the role needs it)."""
    from django_otp.oath import totp
    from playwright.sync_api import expect

    contexts, errors = [], []

    def sign_in(username, *, width=1280, height=900):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("demo-pass-2026")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/accounts/login/verify/" in page.url:
            page.get_by_label("Two-factor code").fill(f"{totp(DEMO_TOTP_KEY):06d}")
            page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        return page

    yield sign_in
    for context in contexts:
        context.close()
    assert not errors, f"browser reported errors: {errors}"
