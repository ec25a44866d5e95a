"""The benchmarked pages answer and send the same few SQL statements at every size."""

from __future__ import annotations

from sqlmodel import Session

from bench.generate import generate
from bench.pages import pages, statements_per_page
from lms.db import make_engine


def _statements(url: str) -> dict[str, tuple[int, int]]:
    """Page name -> (statements that read, statements that write)."""
    engine = make_engine(url)
    with Session(engine) as session:
        page_list = pages(session)
    engine.dispose()
    return {name: (measured.count, measured.writes) for name, measured in statements_per_page(url, page_list).items()}


def test_statements_per_page_stay_at_most_ten_and_do_not_grow_with_size(empty_db_url):
    generate(empty_db_url, size="T", log=lambda _line: None)
    small = _statements(empty_db_url)
    generate(empty_db_url, size="S", replace=True, log=lambda _line: None)
    larger = _statements(empty_db_url)
    assert set(small) == {"My learning", "My skills", "Course page", "Team heatmap (50)"}
    assert small == larger
    assert max(reads for reads, _writes in larger.values()) <= 10
    # Only the heatmap writes: one record of who viewed whose data (the view and the people it named).
    assert {name: writes for name, (_reads, writes) in larger.items() if writes} == {"Team heatmap (50)": 2}
