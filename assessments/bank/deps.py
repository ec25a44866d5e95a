"""The question or category a bank route works on, loaded from its path (404 if there is none).

The bank is shared by every trainer, so there is no check beyond the authoring policy, which each
loader depends on so that a person without it gets the policy's answer before anything is looked up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from assessments.bank.file_selectors import may_see_file
from assessments.models import Question, QuestionCategory, QuestionFile
from lms.web.access import AuthorUser, SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id


def bank_question(db: DbSession, _user: AuthorUser, question_id: Id) -> Question:
    question = db.get(Question, question_id)
    if question is None:
        raise HTTPException(status_code=404)
    return question


BankQuestion = Annotated[Question, Depends(bank_question)]


def bank_category(db: DbSession, _user: AuthorUser, category_id: Id) -> QuestionCategory:
    category = db.get(QuestionCategory, category_id)
    if category is None:
        raise HTTPException(status_code=404)
    return category


BankCategory = Annotated[QuestionCategory, Depends(bank_category)]


def visible_question_file(request: Request, db: DbSession, user: SignedInUser, question_id: Id, file_id: Id) -> QuestionFile:
    """A question's file for someone who may see the question (file_selectors.may_see_file), else 404."""
    file = db.get(QuestionFile, file_id)
    if file is None or file.question_id != question_id or not may_see_file(db, user, request.state.roles, file):
        raise HTTPException(status_code=404)
    return file


VisibleQuestionFile = Annotated[QuestionFile, Depends(visible_question_file)]
