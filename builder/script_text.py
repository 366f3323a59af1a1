"""The HTML workbook's script's words, from the catalogue: the page carries them as JSON for the script.

{name} in a text is a value the script sets in; a plural is all the language's forms, with the form
each count takes (i18n.plural_table), since the script may not evaluate the catalogue's rule.
"""

from __future__ import annotations

from . import i18n


def script_text(language: str) -> dict:
    t = i18n.translations(language)
    _ = t.gettext
    strings = {
        "notKept": _("This browser is not keeping your answers (its storage is turned off or full). "
                     "Download them before you close the page."),
        "nothingSaved": _("Nothing saved yet."),
        "savedAt": _("Saved in this browser at {time}."),
        "notSaved": _("Not saved: this browser is not keeping your answers."),
        "notSavedHere": _("Not saved in this browser. {link} before you close the page."),
        "downloadYours": _("Download your answers"),
        "doneOf": _("{done} of {total} done"),
        "continueWith": _("Continue with {item}"),
        "startWith": _("Start with {item}"),
        "allDone": _("Every item is done: go to My action plan"),
        "myAnswers": _("{title}: my answers"),
        "version": _("Version {version}."),
        "downloadedOn": _("Downloaded on {date}."),
        "level": _("Level {number}: {title}"),
        "sessionOn": _("Session on {when}."),
        "done": _("Done."),
        "notDone": _("Not done yet."),
        "noAnswers": _("No answers yet."),
        "resource": _("Resource: {address}"),
        "noActions": _("No actions written yet."),
        "choose": _("Choose the file that “Download a backup (JSON)” saved."),
        "notJson": _("“{name}” is not a backup of answers: it is not JSON."),
        "notBackup": _("“{name}” is not a backup of answers from a pathway workbook."),
        "newerFormat": _("“{name}” was saved in a form this workbook cannot read (format version {version}). "
                         "Import it into a workbook built with the same or a newer pathway builder."),
        "anotherPathway": _("another pathway"),
        "otherPathway": _("“{name}” holds answers for “{other}”, not for “{title}”. Open that pathway’s "
                          "workbook to import it."),
        "damaged": _("“{name}” is damaged: {reason}."),
        "noAnswersHeld": _("it holds no answers"),
        "answersMissing": _("its answers are missing"),
        "notText": _("the answer to {name} is not text"),
        "doneDamaged": _("its list of finished items is damaged"),
        "answersAnd": _("{answers} and {finished}"),
        "imported": _("Imported {answers} from “{name}”."),
        "importedVersion": _("Imported {answers} from “{name}”, which was saved from version {version} of "
                             "this pathway."),
        "importedNoVersion": _("Imported {answers} from “{name}”, which was saved from a version without a "
                               "number of this pathway."),
        "tooLarge": _("“{name}” is too large to be a backup of answers."),
        "nothingChanged": _("Nothing was changed."),
        "replaceTitle": _("Replace your answers?"),
        "replaceText": _("The answers in “{name}” will replace every answer and tick in this workbook."),
        "replaceYes": _("Replace my answers"),
        "nothingImported": _("Nothing was imported: your answers are as they were."),
        "unreadable": _("“{name}” could not be read."),
        "markedDone": _("Marked “{title}” as done."),
        "markedNotDone": _("Marked “{title}” as not done."),
        "downloadedDocument": _("Your answers were downloaded as a document."),
        "downloadedWord": _("Your answers were downloaded as a Word document."),
        "accountFor": _("From {item}, in {pathway}."),
        "accountNature": _("{kind}: “{title}”{facts}, a resource of the programme {pathway}."),
        "downloadedBackup": _("A backup of your answers was downloaded. Import it in another browser or on "
                              "another device to carry on there."),
        "clearTitle": _("Clear all answers?"),
        "clearText": _("This deletes every answer and tick of this pathway from this browser, those kept from "
                       "earlier versions too. It cannot be undone: download your answers first if you may "
                       "want them again."),
        "clearYes": _("Clear all answers"),
        "cleared": _("All answers were cleared."),
        "nothingCleared": _("Nothing was cleared."),
        "otherTab": _("Brought up to date with another tab at {time}."),
        "keptAside": _("The answers saved earlier in this browser could not be read, so this workbook starts "
                       "empty. They are kept aside, not deleted."),
        "hereSince": _("Your answers are here, last saved in this browser at {time} on {date}."),
        "here": _("Your answers are here, saved in this browser."),
        "noVersion": _("(none)"),
        "earlierSaved": _("This browser holds {answers} from version {version} of this pathway, last saved on "
                          "{date}. Bring them into this version to carry on."),
        "earlier": _("This browser holds {answers} from version {version} of this pathway. Bring them into "
                     "this version to carry on."),
        "broughtOver": _("Brought over {answers} from version {version}."),
        "date": _("{day} {month} {year}"),
        "platformSaved": _("Saved on your learning platform at {time}."),
        "fromPlatform": _("Your answers are here, from your learning platform."),
    }
    table = i18n.plural_table(language)
    # Each form with a count that takes it: the script sets the count in itself.
    counts = [table.index(form) for form in range(max(table) + 1)]

    def forms(plural) -> list[str]:
        return [plural(count) for count in counts]

    plurals = {
        "answers": forms(lambda n: t.ngettext("{count} answer", "{count} answers", n)),
        "finished": forms(lambda n: t.ngettext("{count} finished item", "{count} finished items", n)),
        "left": forms(lambda n: t.ngettext("{count} answer for items this workbook does not have was left out.",
                                           "{count} answers for items this workbook does not have were left out.",
                                           n)),
        "itemsDone": forms(lambda n: t.ngettext("{done} of {count} item done.", "{done} of {count} items done.",
                                                n)),
        # In a learning platform, which keeps 4,096 characters of a learner's answers (SCORM 1.2).
        "platformLeft": forms(lambda n: t.ngettext(
            "{count} answer does not fit in what your learning platform keeps, so it is saved only in this "
            "browser:",
            "{count} answers do not fit in what your learning platform keeps, so they are saved only in this "
            "browser:", n)),
        "elsewhere": forms(lambda n: t.ngettext(
            "{count} answer was saved only in another browser: download a backup there, and import it here.",
            "{count} answers were saved only in another browser: download a backup there, and import it here.",
            n)),
    }
    return {"strings": strings, "plurals": plurals, "pluralForm": table, "months": i18n.month_names(language)}
