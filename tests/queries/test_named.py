"""Named query parameters: dates are parsed strictly before the query runs."""

import pytest

from policykg.dates import DateError
from policykg.queries.api import PolicyGraph
from policykg.queries.named import check_dates, resolve_params
from policykg.queries.sparql import load_query
from policykg.synthetic import synthetic_graph


@pytest.fixture(scope="module")
def pg():
    return PolicyGraph(synthetic_graph(tasks=40, provinces=2, seed=1))


@pytest.mark.parametrize("bad", ["notadate", "2024-02-30", "yesterday", "2024-1-5", "zzz", ""])
def test_a_date_parameter_that_is_not_a_date_is_refused(pg, bad):
    query = load_query("deadlines")
    with pytest.raises(DateError, match=r"^--param from: .* is not a date"):
        resolve_params(query, {"from": bad, "to": "2025-12-31"}, pg)


def test_today_and_iso_dates_are_accepted(pg):
    import datetime as dt

    query = load_query("deadlines")
    values = check_dates(query, {"from": "today", "to": "2025-12-31"})
    assert values == {"from": dt.date.today().isoformat(), "to": "2025-12-31"}
    assert resolve_params(query, {"from": "2025-01-01", "to": "2025-12-31"}, pg) == {"from": "2025-01-01",
                                                                                      "to": "2025-12-31"}


def test_text_parameters_are_not_dates():
    query = load_query("tasks_under")
    assert check_dates(query, {"document": "notadate"}) == {"document": "notadate"}
