"""Helpers shared by the browser journeys: screenshots, axe-core checks, small valid documents, e-mail links."""

import io
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


class Shooter:
    """Numbers the screenshots of one journey: ``shoot(page, "signup", "form")`` → signup-01-form.png."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.counters: dict[str, int] = {}

    def shoot(self, page, journey: str, step: str) -> Path:
        number = self.counters.get(journey, 0) + 1
        self.counters[journey] = number
        path = self.directory / f"{journey}-{number:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


# axe's CSSOM preload (only css-orientation-lock needs it) copies the page's stylesheets into inline <style>
# elements: on admin pages, whose forms.css @imports widgets.css by a relative URL, the strict CSP blocks the inline
# styles and the copied @import asks the page's own URL for widgets.css (a 404), both reported as browser problems.
WITHOUT_CSSOM = {"resultTypes": ["violations"], "preload": False}


def blocking_violations(page, *, options: dict | None = None, preload: bool = True) -> list[dict]:
    """axe-core violations of impact serious or critical on the current page (``preload=False``, or
    ``options=WITHOUT_CSSOM``, on the admin's pages: see WITHOUT_CSSOM)."""
    if options is None:
        options = {"resultTypes": ["violations"]} if preload else WITHOUT_CSSOM
    results = _axe.run(page, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']} {node['html'][:160]}")
    return "\n".join(lines)


# Violations reported to the owners of the templates, not fixable from base.html / portal.css:
# (page, rule) -> where it comes from. Each entry must still occur (a fixed one must be removed from here).
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


class AccessibilityAudit:
    """Collects the blocking violations of several pages, to report them all at once."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}
        self.seen_known: set[tuple[str, str]] = set()
        self.checked: set[str] = set()

    def check(self, page, where: str) -> None:
        self.checked.add(where)
        violations = []
        for violation in blocking_violations(page):
            if (where, violation["id"]) in KNOWN_VIOLATIONS:
                self.seen_known.add((where, violation["id"]))
            else:
                violations.append(violation)
        if violations:
            self.found[where] = violations

    def assert_clean(self) -> None:
        report = "\n".join(
            f"--- {where}\n{describe_violations(page_violations)}" for where, page_violations in self.found.items()
        )
        assert not self.found, "axe found serious/critical violations:\n" + report
        fixed = {key for key in KNOWN_VIOLATIONS if key[0] in self.checked} - self.seen_known
        assert not fixed, f"Known violations no longer found (remove them from KNOWN_VIOLATIONS): {sorted(fixed)}"


def assert_accessible(page, where: str = "", *, options: dict | None = None, preload: bool = True) -> None:
    """No serious or critical axe violation; ``options=WITHOUT_CSSOM`` (or ``preload=False``) on the admin's pages."""
    violations = blocking_violations(page, options=options, preload=preload)
    assert not violations, f"axe found serious/critical violations on {where or page.url}:\n" + describe_violations(
        violations
    )


def make_pdf(path: Path, text: str = "Lettre d'engagement") -> Path:
    """A small valid one-page PDF, as a mayor's scanner would produce."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4)
    document.drawString(72, 760, text)
    document.drawString(72, 740, "Fait à Ville-sur-Saône, le maire.")
    document.showPage()
    document.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_xlsx(path: Path) -> Path:
    """A small valid budget table."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    sheet.append(["Poste", "Montant (€)"])
    sheet.append(["Aménagement des locaux", 45000])
    sheet.append(["Équipement numérique", 12000])
    sheet.append(["Total", "=SUM(B2:B3)"])
    workbook.save(path)
    return path


def first_link(text: str, path_fragment: str = "") -> str:
    """The first http(s) link in ``text`` (containing ``path_fragment`` when given)."""
    for link in re.findall(r"https?://[^\s\"'<>]+", text):
        if path_fragment in link:
            return link
    raise AssertionError(f"No link containing {path_fragment!r} in:\n{text}")


def label(msgid: str):
    """A pattern matching the English msgid or its French translation (the page may be in either), with an
    optional required-field asterisk: ``page.get_by_label(label("Project title"))``."""
    from django.utils import translation

    with translation.override("fr"):
        french = translation.gettext(msgid)
    return re.compile(rf"^\s*(?:{re.escape(msgid)}|{re.escape(french)})\s*\*?\s*:?\s*$", re.IGNORECASE)


def field_label(model, name: str):
    """The label pattern of a model form field: its verbose name, in English or French."""
    from django.utils import translation

    verbose = model._meta.get_field(name).verbose_name
    with translation.override("en"):
        english = str(verbose)
    with translation.override("fr"):
        french = str(verbose)
    return re.compile(rf"^\s*(?:{re.escape(english)}|{re.escape(french)})\s*\*?\s*:?\s*$", re.IGNORECASE)


def text(msgid: str, **params):
    """A pattern for a translated sentence appearing anywhere in a text (English or French)."""
    from django.utils import translation

    with translation.override("fr"):
        french = translation.gettext(msgid)
    if params:
        msgid, french = msgid % params, french % params
    return re.compile(f"{re.escape(msgid)}|{re.escape(french)}", re.IGNORECASE)


EMAIL_LABEL = re.compile(r"e-?mail|courriel", re.IGNORECASE)


def _password_form(page):
    return page.locator("main form").filter(has=page.locator("input[type=password]")).first


def _fill_all(locator, value: str) -> int:
    filled = 0
    for box in locator.all():
        if box.is_visible() and box.is_editable():
            box.fill(value)
            filled += 1
    return filled


def log_in(page, email: str, password: str) -> None:
    """Log in through the site's log-in page (accounts:login), as a person would."""
    from django.urls import reverse

    page.goto(reverse("accounts:login"))
    form = _password_form(page)
    if not form.count():  # already logged in: the log-in page sent us on
        return
    assert _fill_all(form.get_by_label(EMAIL_LABEL), email), "no e-mail field on the log-in page"
    _fill_all(form.locator("input[type=password]"), password)
    form.locator("button[type=submit], input[type=submit]").last.click()
    page.wait_for_load_state()
    assert not _password_form(page).count() or "login" not in page.url, f"log-in refused for {email}"


def log_out(page) -> None:
    """Log out with the button of the navigation bar (a POST form)."""
    page.get_by_role("button", name=label("Log out")).click()
    page.wait_for_load_state()


def verify_email(page, email: str) -> None:
    """Open the verification link of the e-mail queued in the outbox for ``email``."""
    from notifications.models import EmailKind, OutboxMessage
    from notifications.sending import render_message

    message = OutboxMessage.objects.filter(kind=EmailKind.VERIFY_EMAIL, recipient__iexact=email).latest("created_at")
    # Rendered as the worker will send it (no worker may have sent it yet: templates are rendered at send time).
    page.goto(first_link(render_message(message).body_text))
    page.wait_for_load_state()


def sign_up(page, *, email: str, password: str, commune) -> None:
    """Create an official's account through the sign-up page (accounts:signup): every field a person would fill."""
    from django.urls import reverse

    page.goto(reverse("accounts:signup"))
    form = _password_form(page)
    _fill_all(form.get_by_label(EMAIL_LABEL), email)
    _fill_all(form.locator("input[type=password]"), password)
    _fill_all(form.get_by_label(re.compile(r"first name|prénom", re.IGNORECASE)), "Claire")
    _fill_all(form.get_by_label(re.compile(r"last name|^\s*nom", re.IGNORECASE)), "Dumont")
    _fill_all(form.get_by_label(re.compile(r"phone|téléphone", re.IGNORECASE)), "03 80 92 01 34")
    _fill_all(form.get_by_label(re.compile(r"^\s*commune", re.IGNORECASE)), commune.insee_code)
    for select in form.locator("select").all():
        if select.is_visible() and not select.input_value():
            select.select_option(index=1)
    # The commune field's suggestions arrive (htmx) and lay the form out again: a click during that shift can land
    # beside the box (seen once in CI: "Clicking the checkbox did not change its state"). Wait, then check.
    page.wait_for_load_state("networkidle")
    for box in form.locator("input[type=checkbox][required]").all():
        _check(page, box)
    form.locator("button[type=submit], input[type=submit]").last.click()
    page.wait_for_load_state()


def _check(page, box, *, attempts: int = 3) -> None:
    """Tick ``box``; if a late layout shift made the click miss, try again on the settled page."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        try:
            box.check()
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(300)


def url_exists(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def text_prefix(msgid: str):
    """A pattern for the fixed beginning of a translated sentence with placeholders (up to its first ``%(``)."""
    from django.utils import translation

    with translation.override("fr"):
        french = translation.gettext(msgid)
    english, french = msgid.split("%(")[0].strip(), french.split("%(")[0].strip()
    return re.compile(f"^\\s*(?:{re.escape(english)}|{re.escape(french)})", re.IGNORECASE)


# Records, in the page itself, every Content-Security-Policy violation and reports it to Python (the binding survives
# navigations, the listener is installed in every document before its own scripts run).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__amiReportCspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber, sample: event.sample, page: document.location.href,
  });
});
"""


class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations of every page of a browser context.

    ``watch(context)`` hooks the context; ``report()`` lists what happened (empty: nothing went wrong). A journey
    that provokes one on purpose takes it back with ``take(predicate)``: nothing is ignored by default.
    """

    def __init__(self):
        self.found: list[str] = []

    def watch(self, context) -> None:
        context.expose_binding("__amiReportCspViolation", lambda source, violation: self._csp(violation))
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.found.append(f"uncaught exception on {page.url}: {error}"))

    def _console(self, page, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.found.append(
                f"console error on {page.url}: {message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"
            )

    def _csp(self, violation: dict) -> None:
        self.found.append(
            f"CSP violation on {violation['page']}: {violation['directive']} blocked {violation['blocked'] or 'inline'}"
            f" ({violation['source']}:{violation['line']}) {violation['sample']!r}"
        )

    def take(self, predicate) -> list[str]:
        """Remove and return the problems ``predicate`` accepts (for a test that provokes them on purpose)."""
        taken = [problem for problem in self.found if predicate(problem)]
        self.found = [problem for problem in self.found if not predicate(problem)]
        return taken

    def expect_http_error(self, page, *, status: int, path: str) -> None:
        """The test provoked an error answer on purpose (a refused form, an embargoed page): take back the console
        line Chromium writes for it, and fail if it never came."""

        def provoked(problem: str) -> bool:
            return f"responded with a status of {status} (" in problem and f"{path}:" in problem

        for _ in range(100):
            if any(provoked(problem) for problem in self.found):
                break
            page.wait_for_timeout(50)
        assert self.take(provoked), f"the browser reported no {status} answer for {path}:\n  {self.report()}"

    def report(self) -> str:
        return "\n  ".join(self.found)
