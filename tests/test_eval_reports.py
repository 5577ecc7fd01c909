"""Report extraction floors on a fixed sample of Ofsted's report PDFs (every era).

The full set (`kg eval ../shared/corpus/reports`) is a command to run, not a
CI test; this sample keeps CI fast while a regression in any era fails it.
"""
import pytest

from kg.eval import evaluate

SAMPLE = [
    "norfolk-2013-08-16",            # 2013 looked after children framework
    "barnsley-2014-08-08",           # SIF
    "city-of-london-2016-09-20",     # SIF, single inspection date
    "tameside-2016-12-09",           # SIF, inadequate
    "kirklees-2016-11-25",           # SIF
    "tower-hamlets-2017-04-07",      # SIF
    "tameside-2019-07-01",           # ILACS 2018-22, combined children in care line
    "sefton-2022-05-09",             # ILACS
    "tameside-2024-02-13",           # ILACS from 2023, care leavers line
    "derbyshire-2024-01-12",         # ILACS
    "windsor-and-maidenhead-2024-11-19",
    "birmingham-2012-10-19",         # an HTML error page saved as .pdf: reported, not scored
]
FLOORS = {"report_inspection": ("recall", 1.0), "report_dates": ("f1", 0.98), "report_judgements": ("f1", 0.99)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("reports")
    for stem in SAMPLE:
        for src in (corpus / "reports").glob(stem + ".*"):
            (folder / src.name).symlink_to(src)
    return folder


def test_report_floors(sample):
    result = evaluate(sample)
    print("\n" + result.table())
    assert result.documents == len(SAMPLE) - 1  # the HTML page has no gold
    for category, (metric, floor) in FLOORS.items():
        assert getattr(result.scores[category], metric) >= floor, (category, result.misses)
