"""An analyst's three questions, answered from the pages of ``kg serve`` by clicks alone.

    .venv/bin/python benchmarks/walkthrough.py --graph BUILD --shots DIR

Drives Debian's chromium through Playwright as a user would (typing in the search box,
clicking links, choosing filters) on a build (best: the whole corpus with the statistics
and the D2I overview imported), and for each question prints its click path, the answer
the pages give and the seconds it took (server and browser; a person reads slower), and
saves a screenshot of every step into DIR. Prints; asserts nothing.

(a) Which councils went from good to inadequate since 2018, and who led them then?
(b) What did inspectors say about care leavers in Tameside, across inspections?
(c) Middlesbrough's timeline.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


class Walk:
    """One question: its steps, each with a screenshot, and the time from first to last."""

    def __init__(self, page, shots: Path, key: str, question: str):
        self.page, self.shots, self.key, self.question = page, shots, key, question
        self.steps: list = []
        self.t0 = time.perf_counter()

    def step(self, what: str, target=None) -> None:
        n = len(self.steps) + 1
        path = self.shots / f"{self.key}{n}.png"
        if target is None:
            self.page.screenshot(path=str(path))
        else:
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(path))
        self.steps.append((what, path))

    def done(self, answer: list) -> float:
        took = time.perf_counter() - self.t0
        print(f"\n({self.key}) {self.question}")
        for n, (what, path) in enumerate(self.steps, 1):
            print(f"  {n}. {what}  [{path}]")
        print(f"  answer ({took:.1f} s, {len(self.steps)} steps):")
        for line in answer:
            print(f"    {line}")
        return took


def search_and_open(page, base: str, name: str) -> None:
    page.goto(base + "/")
    page.fill("#search", name)
    page.locator("#hits li", has_text="council").locator("a", has_text=name).first.click()
    page.wait_for_load_state("load")


def question_a(page, base: str, shots: Path) -> float:
    w = Walk(page, shots, "a", "Which councils went from good to inadequate since 2018, and who led them then?")
    page.goto(base + "/")
    w.step("open the home page")
    page.click("text=how each council's grade moved, and who led it then")
    page.select_option("#c-from", "good")
    page.select_option("#c-to", "inadequate")  # 'later inspection in or after' is 2018 already
    w.step("click 'how each council's grade moved, and who led it then'; choose from 'good' to 'inadequate' "
           "(later inspection in or after 2018)", page.locator("#changes-table"))
    answer = []
    rows = page.locator("#changes-table tbody tr:not([hidden])")
    for r in rows.all():
        cells = r.locator("td").all_inner_texts()
        leaders = " / ".join(x.strip() for x in cells[3].splitlines() if x.strip())
        answer.append(f"{cells[0]}: {cells[1]} -> {cells[2]}; led by {leaders}")
    if rows.count():
        rows.first.locator("td:nth-child(3) a").click()
        page.wait_for_load_state("load")
        w.step("click the first council's inadequate inspection: its judgements and the leaders in post")
    return w.done(answer or ["no council went from good to inadequate since 2018 in this build"])


def question_b(page, base: str, shots: Path) -> float:
    w = Walk(page, shots, "b", "What did inspectors say about care leavers in Tameside, across inspections?")
    search_and_open(page, base, "Tameside")
    w.step("home page: type 'Tameside' in the search box, click the council")
    page.select_option("#f-area", "care_leavers")
    page.locator("#findings").scroll_into_view_if_needed()
    w.step("in 'Inspectors' findings' choose the area 'experiences and progress of care leavers'")
    answer = []
    for section in page.locator("#findings-list section.fi:visible").all():
        heading = section.locator("h3").inner_text()
        items = section.locator("li:visible").all_inner_texts()
        answer.append(f"{heading}: {len(items)} findings, e.g. {items[0][:150]!r}")
    return w.done(answer)


def question_c(page, base: str, shots: Path) -> float:
    w = Walk(page, shots, "c", "Middlesbrough's timeline")
    search_and_open(page, base, "Middlesbrough")
    w.step("home page: type 'Middlesbrough' in the search box, click the council (chart and table of every "
           "inspection and visit)")
    page.locator("#people").scroll_into_view_if_needed()
    w.step("scroll to the people in roles and the council's network", page.locator("svg.network"))
    answer = []
    for r in page.locator("table.inspections tbody tr").all():
        date, kind, judgements = r.locator("td").all_inner_texts()[:3]
        judgements = "; ".join(x.strip() for x in judgements.splitlines() if x.strip())
        answer.append(f"{date} {kind}: {judgements[:140]}")
    return w.done(answer)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", required=True, type=Path, help="a build folder")
    ap.add_argument("--shots", required=True, type=Path, help="a folder for the screenshots")
    args = ap.parse_args(argv)
    args.shots.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    from kg.server import make_server

    server, url = make_server(args.graph, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = url.rstrip("/")
    times = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            for key, run in (("a", question_a), ("b", question_b), ("c", question_c)):
                times[key] = run(page, base, args.shots)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print("\nseconds per question: " + ", ".join(f"({k}) {t:.1f}" for k, t in times.items())
          + f"; console errors: {len(errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
