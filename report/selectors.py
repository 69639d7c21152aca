"""Reads of the report's data set for its pages."""

from functools import lru_cache

from .loading import read_report_data


@lru_cache(maxsize=1)
def _decisions() -> tuple[dict, ...]:
    _vocabulary, report = read_report_data()
    return tuple(report.get("decisions", ()))


def data_set_decisions() -> list[dict]:
    """The data set's decisions (id, issue, decision), in the order the data set gives them."""
    return list(_decisions())
