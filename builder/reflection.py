"""Reflective models: how a pathway's questions are framed, and the questions an item gets when it has none."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import i18n
from .i18n import N_


@dataclass(frozen=True)
class ReflectiveModel:
    name: str  # reads after "The questions follow ..."
    reference: str
    stages: tuple[str, ...]
    stage_list: str  # the stages as a sentence names them: "What?, So what? and Now what?"
    # {title} is the item's title, {lens} the level's, e.g. "leading our teams".
    questions: tuple[str, ...]
    first_for_activity: str  # the first question for a 'do' item, which has no content to sum up

    def in_language(self, language: str) -> ReflectiveModel:
        """The model as a workbook in `language` names it and asks its questions."""
        gettext = i18n.translations(language).gettext
        return replace(self, name=gettext(self.name), reference=gettext(self.reference),
                       stages=tuple(map(gettext, self.stages)), stage_list=gettext(self.stage_list),
                       questions=tuple(map(gettext, self.questions)),
                       first_for_activity=gettext(self.first_for_activity))


MODELS = {
    "what-so-what-now-what": ReflectiveModel(
        name=N_("the What? So what? Now what? model"),
        reference=N_("Rolfe, Freshwater and Jasper 2001, after Borton 1970"),
        stages=(N_("What?"), N_("So what?"), N_("Now what?")),
        stage_list=N_("What?, So what? and Now what?"),
        questions=(
            N_("**What?** What are the main points of “{title}”, and what struck you most?"),
            N_("**So what?** What does it mean for {lens}: what does it confirm, challenge or change "
               "in how you work?"),
            N_("**Now what?** What one thing will you do this week because of it, and with whom?"),
        ),
        first_for_activity=N_("**What?** What happened when you did “{title}”, and what struck you most?"),
    ),
    "gibbs": ReflectiveModel(
        name=N_("Gibbs’ reflective cycle"),
        reference=N_("Gibbs 1988"),
        stages=(N_("Description"), N_("Feelings"), N_("Evaluation"), N_("Analysis"), N_("Conclusion"),
                N_("Action plan")),
        stage_list=N_("Description, Feelings, Evaluation, Analysis, Conclusion and Action plan"),
        questions=(
            N_("**Description.** What does “{title}” describe, and where have you seen it in your work?"),
            N_("**Feelings.** What did you think and feel as you worked through it?"),
            N_("**Evaluation and analysis.** What in it was helpful, and what was hard to accept, "
               "for {lens}? Why?"),
            N_("**Conclusion.** Looking back on a situation it brings to mind, what else could you "
               "have done?"),
            N_("**Action plan.** What will you do differently this week?"),
        ),
        first_for_activity=N_("**Description.** What happened when you did “{title}”?"),
    ),
    "kolb": ReflectiveModel(
        name=N_("Kolb’s experiential learning cycle"),
        reference=N_("Kolb 1984"),
        stages=(N_("Concrete experience"), N_("Reflective observation"), N_("Abstract conceptualisation"),
                N_("Active experimentation")),
        stage_list=N_("Concrete experience, Reflective observation, Abstract conceptualisation and "
                      "Active experimentation"),
        questions=(
            N_("**Experience.** Which recent experience of yours does “{title}” bring to mind?"),
            N_("**Reflection.** Looking back on that experience with this resource in mind, what do "
               "you notice now?"),
            N_("**Concepts.** What idea from it helps you make sense of {lens}?"),
            N_("**Experiment.** What will you try this week to test that idea?"),
        ),
        first_for_activity=N_("**Experience.** What happened when you did “{title}”, and what did you notice?"),
    ),
}


def default_questions(model: str, title: str, kind: str, level_title: str,
                      language: str = i18n.SOURCE) -> tuple[str, ...]:
    """The model's questions, written for one item of a kind at one level, in a language's words."""
    chosen = MODELS[model].in_language(language)
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
