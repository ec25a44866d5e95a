"""fold() and like_folded(): the same answers on SQLite and PostgreSQL, accents and case aside."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from lms.people.models import User
from lms.text_search import MAX_WORDS, fold, fold_all, like_folded, search_text_of

PAIRS = [("Ångström", "angstrom"), ("Øster", "oster"), ("Łukasiewicz", "lukasiewicz"), ("straße", "strasse"), ("ÉLODIE", "elodie")]


@pytest.mark.parametrize("written,typed", PAIRS)
def test_fold_makes_both_spellings_one(written, typed):
    assert fold(written) == fold(typed) == typed


def test_fold_maps_letters_that_have_no_accent_to_drop():
    assert fold("Æsir Œuvre Đorđe Þór İstanbul ẞ ﬁne") == "aesir oeuvre dorde thor istanbul ss fine"
    assert fold("  Dvořák\u00a0\tNguyễn ") == "dvorak nguyen"
    assert fold(None) == "" and fold("") == ""
    assert fold_all(["Ana", None, "", "ANA@Example.gov"]) == "ana ana@example.gov"


def _names(db, query: str, *, every_word: bool = True) -> set[str]:
    return set(db.exec(select(User.name).where(like_folded(User.search_text, query, every_word=every_word))).all())


def test_search_finds_either_spelling_on_both_engines(db, make_user):
    for n, (written, typed) in enumerate(PAIRS):
        make_user(name=f"Ana {written}", email=f"written{n}@example.gov")
        make_user(name=f"Bo {typed.capitalize()}", email=f"typed{n}@example.gov")
    make_user(name="Zed Other", email="zed@example.gov")
    for written, typed in PAIRS:
        expected = {f"Ana {written}", f"Bo {typed.capitalize()}"}
        assert _names(db, typed) == expected, typed
        assert _names(db, written) == expected, written
        assert _names(db, written.upper()) == expected
    assert _names(db, "ana angstrom") == {"Ana Ångström"}  # every word, in any order
    assert _names(db, "ÅNGSTRÖM ana") == {"Ana Ångström"}
    assert _names(db, "zed@example") == {"Zed Other"}  # e-mail too
    assert _names(db, "ANA   ångström", every_word=False) == {"Ana Ångström"}  # or as one phrase
    assert _names(db, "ångström ana", every_word=False) == set()


def test_like_wildcards_in_a_query_are_literal(db, make_user):
    make_user(name="Percent 100% Sure", email="p@example.gov")
    make_user(name="Under_score", email="u@example.gov")
    make_user(name="Plain Person", email="plain@example.gov")
    assert _names(db, "%") == {"Percent 100% Sure"}
    assert _names(db, "_") == {"Under_score"}
    assert _names(db, "\\") == set()
    assert len(_names(db, "")) == len(_names(db, " ", every_word=False)) == 3  # no words: no condition
    words = " ".join(["person"] + ["x"] * MAX_WORDS)
    assert _names(db, words) == {"Plain Person"}  # words beyond MAX_WORDS are ignored


def test_search_text_follows_every_write(db, make_user):
    user = make_user(name="Åsa Lind", email="asa@example.gov")
    assert user.search_text == "asa lind asa@example.gov" == search_text_of(user)
    user.name = "Åsa Øster"
    db.add(user)
    db.commit()
    assert db.exec(select(User.search_text).where(User.id == user.id)).one() == "asa oster asa@example.gov"
    # A bulk update (as erasure does) does not leave the old name findable.
    db.exec(update(User).where(col(User.id) == user.id).values(name="Erased person", email="erased@invalid"))
    db.commit()
    assert db.exec(select(User.search_text).where(User.id == user.id)).one() == "erased person erased@invalid"
    assert _names(db, "oster") == set()
    # A bulk update of other columns reads nothing back.
    db.exec(update(User).where(col(User.id) == user.id).values(is_active=False))
    db.commit()
    assert search_text_of(object()) is None
