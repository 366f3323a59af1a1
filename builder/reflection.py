"""Reflective models: how a pathway's questions are framed, and the questions an item gets when it has none."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ReflectiveModel:
    name: str  # reads after "The questions follow ..."
    reference: str
    stages: tuple[str, ...]
    # {title} is the item's title, {lens} the level's, e.g. "leading our teams".
    questions: tuple[str, ...]
    first_for_activity: str  # the first question for a 'do' item, which has no content to sum up


MODELS = {
    "what-so-what-now-what": ReflectiveModel(
        name="the What? So what? Now what? model",
        reference="Rolfe, Freshwater and Jasper 2001, after Borton 1970",
        stages=("What?", "So what?", "Now what?"),
        questions=(
            "**What?** What are the main points of “{title}”, and what struck you most?",
            "**So what?** What does it mean for {lens}: what does it confirm, challenge or change "
            "in how you work?",
            "**Now what?** What one thing will you do this week because of it, and with whom?",
        ),
        first_for_activity="**What?** What happened when you did “{title}”, and what struck you most?",
    ),
    "gibbs": ReflectiveModel(
        name="Gibbs’ reflective cycle",
        reference="Gibbs 1988",
        stages=("Description", "Feelings", "Evaluation", "Analysis", "Conclusion", "Action plan"),
        questions=(
            "**Description.** What does “{title}” describe, and where have you seen it in your work?",
            "**Feelings.** What did you think and feel as you worked through it?",
            "**Evaluation and analysis.** What in it was helpful, and what was hard to accept, "
            "for {lens}? Why?",
            "**Conclusion.** Looking back on a situation it brings to mind, what else could you "
            "have done?",
            "**Action plan.** What will you do differently this week?",
        ),
        first_for_activity="**Description.** What happened when you did “{title}”?",
    ),
    "kolb": ReflectiveModel(
        name="Kolb’s experiential learning cycle",
        reference="Kolb 1984",
        stages=("Concrete experience", "Reflective observation", "Abstract conceptualisation",
                "Active experimentation"),
        questions=(
            "**Experience.** Which recent experience of yours does “{title}” bring to mind?",
            "**Reflection.** Looking back on that experience with this resource in mind, what do "
            "you notice now?",
            "**Concepts.** What idea from it helps you make sense of {lens}?",
            "**Experiment.** What will you try this week to test that idea?",
        ),
        first_for_activity="**Experience.** What happened when you did “{title}”, and what did you notice?",
    ),
}


def default_questions(model: str, title: str, kind: str, level_title: str, language: str = "en-GB") -> tuple[str, ...]:
    """The model's questions, written for one item of a kind at one level, in the item's `language`.

    The questions are translated by the interface's gettext catalogue for `language`, not here.
    """
    chosen = MODELS[model]
    questions = chosen.questions
    if kind == "do":
        questions = (chosen.first_for_activity,) + questions[1:]
    # "Leading our teams" reads "leading our teams" mid-sentence; "NHS England" keeps its capitals.
    lens = level_title if level_title[1:2].isupper() else level_title[:1].lower() + level_title[1:]
    return tuple(question.format(title=_literal(title), lens=_literal(lens)) for question in questions)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


def _literal(text: str) -> str:
    """Plain text set into a Markdown question so that it reads as written: 2*3*4 is no emphasis."""
    return _MARKDOWN.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
