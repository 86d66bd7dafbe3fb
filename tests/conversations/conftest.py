"""Conversations between the personas of tests/conftest.py.

- daan writes privately to priya about the shared dinner (the initiative "Samen eten");
- fatima asks the neighbourhood team (Wijkteam, anna) a question.

Pages are read in English.
"""

import pytest

from buurtnet.conversations import services


@pytest.fixture
def private(personas):
    """Daan writes to Priya about the shared dinner."""
    return services.conversation_start(
        neighbourhood=personas.ede,
        user=personas.daan,
        to_user=personas.priya,
        subject="Samen eten",
        body="Can I bring my big pan?",
        topic=personas.initiative,
    )


@pytest.fixture
def question(personas):
    return services.question_ask(
        neighbourhood=personas.ede,
        user=personas.fatima,
        subject="A room for the dinner",
        body="Where can we cook for forty people?",
    )
