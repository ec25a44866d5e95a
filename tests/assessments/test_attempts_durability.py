"""No acknowledged answer is lost: a learner autosaves over real HTTP to a real `lms serve` process,
the process is killed with SIGKILL mid-stream, restarted, and every answer the server said it saved
is in the database.
"""

from __future__ import annotations

import re
import signal
import threading

import httpx2
from sqlmodel import Session, select

from assessments.models import Response
from lms.auth.passwords import hash_password
from lms.db import make_engine
from lms.people.models import User
from tests.assessments.factories import quiz_of, short_text
from tests.support.live_server import CSRF_FIELD, LiveServer

PASSWORD = "durable answers 4 every learner"
SLOTS = 5
SAVES = 200
KILL_AFTER = 60  # acknowledged saves before the kill; the stream keeps going while it happens
SEQUENCE = re.compile(r'name="sequence" id="q-(\d+)-sequence" value="(\d+)"')


def seed(db_url: str) -> tuple[int, str]:
    engine = make_engine(db_url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            learner = User(email="learner@example.gov", name="Lee Learner", password_hash=hash_password(PASSWORD))
            db.add(learner)
            db.commit()
            quiz, _ = quiz_of(db, [short_text(f"Question {i}") for i in range(SLOTS)])
            return quiz.id, learner.email
    finally:
        engine.dispose()


def stored_responses(db_url: str, attempt_id: int) -> dict[int, Response]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as db:
            return {r.slot: r for r in db.exec(select(Response).where(Response.attempt_id == attempt_id))}
    finally:
        engine.dispose()


def sign_in_and_start(http: httpx2.Client, email: str, quiz_id: int) -> tuple[int, str]:
    token = CSRF_FIELD.search(http.get("/login").text).group(1)
    signed_in = http.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303, signed_in.text
    token = CSRF_FIELD.search(http.get(f"/quizzes/{quiz_id}").text).group(1)
    started = http.post(f"/quizzes/{quiz_id}/start", headers={"X-CSRF-Token": token})
    assert started.status_code == 303, started.text
    return int(re.fullmatch(r"/attempts/(\d+)", started.headers["location"]).group(1)), token


def save(http: httpx2.Client, token: str, attempt_id: int, slot: int, text: str, sequence: int) -> httpx2.Response:
    # As the htmx autosave sends it: the answer, the sequence the page showed, the CSRF header.
    return http.post(
        f"/attempts/{attempt_id}/slots/{slot}",
        data={"text": text, "sequence": str(sequence)},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
        timeout=10,
    )


def test_every_acknowledged_autosave_survives_a_killed_server(db_url, tmp_path):
    server = LiveServer(db_url, tmp_path)
    assert server.lms("db", "upgrade").returncode == 0
    quiz_id, email = seed(db_url)
    server.start()
    try:
        http = httpx2.Client(base_url=server.url, follow_redirects=False, timeout=10)
        attempt_id, token = sign_in_and_start(http, email, quiz_id)

        sequences = [0] * SLOTS
        acked: dict[int, tuple[str, int]] = {}  # slot -> (latest acknowledged answer, its sequence)
        in_flight: tuple[int, str, int] | None = None  # the save the kill interrupted, if any
        count = 0
        enough = threading.Event()
        killer = threading.Thread(target=lambda: enough.wait(30) and server.kill())
        killer.start()
        for i in range(SAVES):
            slot, text = i % SLOTS, f"answer {i}"
            try:
                response = save(http, token, attempt_id, slot, text, sequences[slot])
            except httpx2.TransportError:
                in_flight = (slot, text, sequences[slot] + 1)
                break
            assert response.status_code == 200, response.text
            returned = dict((int(s), int(v)) for s, v in SEQUENCE.findall(response.text))
            assert returned[slot] == sequences[slot] + 1
            sequences[slot] = returned[slot]
            acked[slot] = (text, sequences[slot])
            count += 1
            if count == KILL_AFTER:
                enough.set()
        enough.set()
        killer.join(timeout=15)
        assert server.process.poll() == -signal.SIGKILL, "the server was not killed mid-stream"
        assert KILL_AFTER <= count < SAVES, count

        server.start()
        stored = stored_responses(db_url, attempt_id)
        for slot, (text, sequence) in acked.items():
            row = stored[slot]
            if in_flight and in_flight[0] == slot and row.sequence == in_flight[2]:
                # The interrupted save may have committed without its answer reaching us: never older.
                assert row.answer == {"text": in_flight[1]}
            else:
                assert (row.answer, row.sequence) == ({"text": text}, sequence), slot
            assert row.sequence >= sequence

        # The restarted server carries on from what it stored; the session cookie still works.
        http = httpx2.Client(base_url=server.url, cookies=http.cookies, follow_redirects=False, timeout=10)
        slot = next(iter(acked))
        again = save(http, token, attempt_id, slot, "after the restart", stored[slot].sequence)
        assert again.status_code == 200, again.text
        assert stored_responses(db_url, attempt_id)[slot].answer == {"text": "after the restart"}
        http.close()
    finally:
        server.stop()
