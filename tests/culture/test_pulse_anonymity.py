"""Answers cannot be joined to the people who gave them: not by a column of the answer table as the database
holds it, nor by the database's own bookkeeping of each row (which transaction wrote it, where it sits),
which the invitation's "answered" flag would otherwise share with that person's answers."""

import datetime as dt
import uuid

import pytest
from django.db import connection

from culture.models import PulseAnswer, PulseInvitation
from culture.pulse.services import install_standard_library, publish_pulse, submit_answers
from tests.factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = dt.date(2026, 12, 7)
PEOPLE = 10  # a shuffled order of 10 responses equals the answering order with chance 1 in 3.6 million


def _pulse_with_members(actor, people: int = PEOPLE):
    team = TeamFactory()
    for _ in range(people):
        MembershipFactory(person=PersonFactory(), team=team, start=TODAY - dt.timedelta(days=60))
    pulse = publish_pulse(
        actor=actor,
        title="Anonymous",
        library_version=install_standard_library(actor=actor),
        teams=[team],
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=5),
    )
    return pulse, team


def _answer_each(pulse) -> list:
    """Every invitation answers in turn; returns the response ids in the order they were given."""
    questions = list(pulse.library_version.questions.all())
    order = []
    for number, invitation in enumerate(PulseInvitation.objects.filter(pulse=pulse).order_by("pk")):
        before = set(PulseAnswer.objects.values_list("response", flat=True))
        scores = {q.pk: (number % 11 if q.kind == "enps" else 1 + number % 5) for q in questions}
        submit_answers(invitation=invitation, scores=scores, today=TODAY)
        (new,) = set(PulseAnswer.objects.values_list("response", flat=True)) - before
        order.append(new)
    return order


def _physical_order(pulse) -> list:
    """Responses in the order the rows sit in the table (PostgreSQL's ctid, SQLite's rowid), first place each."""
    table = PulseAnswer._meta.db_table
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT response FROM {table} WHERE pulse_id = %s ORDER BY {position}", [pulse.pk])  # noqa: S608
        seen: list = []
        for (response,) in cursor.fetchall():
            value = response.hex if isinstance(response, uuid.UUID) else response.replace("-", "")
            if value not in seen:
                seen.append(value)
    return seen


@pytest.mark.django_db
def test_the_answer_table_in_the_database_has_only_anonymous_columns():
    """The table as migrated (not only the model): random id, response id, pulse, team, question, score."""
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, PulseAnswer._meta.db_table)}
        relations = connection.introspection.get_relations(cursor, PulseAnswer._meta.db_table)
    assert columns == {"id", "response", "pulse_id", "team_id", "question_id", "score"}
    assert {target for _column, (_field, target) in relations.items()} == {
        "culture_pulse",
        "culture_team",
        "culture_pulsequestion",
    }


@pytest.mark.django_db
def test_the_rows_do_not_sit_in_the_order_people_answered(cco):
    pulse, _team = _pulse_with_members(cco)
    given = _answer_each(pulse)

    stored = _physical_order(pulse)
    assert sorted(stored) == sorted(r.hex for r in given)
    assert stored != [r.hex for r in given]  # the invitations' write order would name each one
    assert PulseAnswer.objects.filter(pulse=pulse).count() == PEOPLE * 4
    assert PulseInvitation.objects.filter(pulse=pulse, has_answered=True).count() == PEOPLE


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_answer_shares_its_writing_transaction_with_only_its_own_invitation(cco):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin). The invitation's flag is set in
    the transaction that stores the answers; unless all the team's answers are written again there, each
    invitation's xmin would pick out exactly that person's answers."""
    pulse, team = _pulse_with_members(cco, people=6)
    _answer_each(pulse)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM culture_pulseinvitation WHERE pulse_id = %s AND has_answered", [pulse.pk]
        )
        invitation_stamps = [stamp for (stamp,) in cursor.fetchall()]
        cursor.execute(
            "SELECT xmin::text, COUNT(DISTINCT response) FROM culture_pulseanswer "
            "WHERE pulse_id = %s AND team_id = %s GROUP BY xmin::text",
            [pulse.pk, team.pk],
        )
        responses_by_stamp = dict(cursor.fetchall())
    assert len(set(invitation_stamps)) == 6  # one answering transaction each
    assert list(responses_by_stamp.values()) == [6]  # the whole team's answers carry one transaction
    for stamp in invitation_stamps:
        assert responses_by_stamp.get(stamp, 0) in (0, 6), stamp
