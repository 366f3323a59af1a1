"""The learners file: every rule has its exact message, and tricky names come through unchanged."""

import re
import time

import pytest

from builder import cohort
from builder.cohort import MAX_BYTES, MAX_LEARNERS, Learner, file_stem, parse_cohort, read_cohort
from builder.errors import UserError

FILE = "cohort.csv"


def learners(text: str | bytes) -> list[Learner]:
    result = parse_cohort(text.encode() if isinstance(text, str) else text, FILE)
    assert result.bad_rows == ()
    return list(result.learners)


def bad_rows(text: str | bytes) -> list[str]:
    result = parse_cohort(text.encode() if isinstance(text, str) else text, FILE)
    return [str(problem) for problem in result.bad_rows]


def refused(text: str | bytes) -> list[str]:
    with pytest.raises(UserError) as caught:
        parse_cohort(text.encode() if isinstance(text, str) else text, FILE)
    return [str(problem) for problem in caught.value.problems]


# Names as they are written, and come back

def test_tricky_names_come_back_exactly_as_written():
    names = ["Zoë Ångström", "Siobhán Ní Bhriain", "Seán O’Brien", "Mary O'Neill", "Jean-Luc Picard-Dubois",
             "محمد عبد الله", "דָּוִד כֹּהֵן", "Nguyễn Thị Minh Khai", "می\u200cخواهم", "क्\u200dष"]
    text = "name\n" + "".join(f"{name}\n" for name in names)
    assert [learner.name for learner in learners(text)] == names


def test_names_are_stripped_and_nfc_normalised():
    decomposed = "Zoe\u0308"  # e and a combining diaeresis, as macOS may write it
    assert [learner.name for learner in learners(f"name\n  {decomposed}\u00a0\n")] == ["Zo\u00eb"]


def test_quoted_fields_hold_commas_quotes_and_line_breaks_and_rows_keep_their_first_line():
    text = ('name,email,cohort,group\n'
            '"Smith, Alice",alice@example.org,"Ward managers, spring 2027",A\n'
            '"Dwayne ""The Rock"" Johnson",,,\n'
            '"Mary\n'
            'Jones",mary@example.org,,B\n'
            ' "Bob" ,bob@example.org\n')
    assert learners(text) == [
        Learner("Smith, Alice", "alice@example.org", "Ward managers, spring 2027", "A", 2, "smith-alice"),
        Learner('Dwayne "The Rock" Johnson', "", "", "", 3, "dwayne-the-rock-johnson"),
        Learner("Mary\nJones", "mary@example.org", "", "B", 4, "mary-jones"),
        Learner("Bob", "bob@example.org", "", "", 6, "bob")]


def test_a_byte_order_mark_and_crlf_line_ends_are_read_as_excel_writes_them():
    data = "\ufeffname,email\r\nZoë,zoe@example.org\r\n\"Ann\r\nLee\",\r\n".encode()
    assert learners(data) == [Learner("Zoë", "zoe@example.org", line=2, stem="zoe"),
                              Learner("Ann\nLee", line=3, stem="ann-lee")]


def test_a_semicolon_delimiter_as_excel_saves_in_european_locales():
    assert learners("name;email;cohort\nSmith, Alice;a@x.fr;Lyon\n") == [
        Learner("Smith, Alice", "a@x.fr", "Lyon", line=2, stem="smith-alice")]


def test_a_tab_delimiter():
    assert learners("name\tgroup\nSmith, Alice\tRed\n") == [Learner("Smith, Alice", group="Red", line=2,
                                                                    stem="smith-alice")]


def test_header_names_ignore_case_and_spaces_and_may_come_in_any_order():
    assert learners(" GROUP , Email,NAME \nRed,a@x.org,Alice\n,,Bob\n") == [
        Learner("Alice", "a@x.org", group="Red", line=2, stem="alice"),
        Learner("Bob", line=3, stem="bob")]


def test_fewer_fields_leave_the_optional_columns_empty():
    assert learners("name,email,cohort,group\nAlice\nBob,b@x.org\n") == [
        Learner("Alice", line=2, stem="alice"), Learner("Bob", "b@x.org", line=3, stem="bob")]


def test_blank_lines_and_empty_spreadsheet_rows_are_skipped_anywhere():
    text = "\n  \nname,email,,\n\nAlice,,,\n \t \n,,,\n\"\",\"\"\nBob,,\n\n"
    assert learners(text) == [Learner("Alice", line=5, stem="alice"), Learner("Bob", line=9, stem="bob")]


def test_zero_width_joiner_is_allowed_in_a_name():
    assert learners("name\nक्\u200dष\n")[0].name == "क्\u200dष"


def test_a_quote_inside_an_unquoted_field_is_text():
    assert learners('name\nDwayne "The Rock" Johnson\n')[0].name == 'Dwayne "The Rock" Johnson'


def test_same_name_with_different_emails_is_two_learners():
    found = learners("name,email\nAnn Lee,ann@a.org\nann  lee,ann@b.org\n")
    assert [(learner.email, learner.stem) for learner in found] == [("ann@a.org", "ann-lee"),
                                                                    ("ann@b.org", "ann-lee-2")]


# File names

@pytest.mark.parametrize("name, stem", [
    ("Zoë", "zoe"),
    ("Siobhán Ní Bhriain", "siobhan-ni-bhriain"),
    ("محمد عبد الله", "محمد-عبد-الله"),
    ("דוד כהן", "דוד-כהן"),
    ("דָּוִד כֹּהֵן", "דָּוִד-כֹּהֵן"),  # the points belong to their letters, not a '-'
    ("O'Brien", "obrien"),
    ("Seán O’Brien", "sean-obrien"),
    ("Jean-Luc  Picard -- Dubois", "jean-luc-picard-dubois"),
    ("  ..Ann / Lee?  ", "ann-lee"),
    ("ANNA Straße", "anna-strasse"),
    ("İpek Łukasz", "ipek-łukasz"),  # Ł has no accent to lose: it stays
    ("ﬁona Ｌee", "fiona-lee"),  # ligatures and full-width letters become ASCII
    ("क्\u200dष", "क्ष"),  # no invisible joiner in a file name
    ("Con", "con-learner"),
    ("nul", "nul-learner"),
    ("COM1", "com1-learner"),
    ("lpt9", "lpt9-learner"),
    ("Com0", "com0-learner"),
    ("prn", "prn-learner"),
    ("aux", "aux-learner"),
    ("Com¹", "com1-learner"),
    ("con man", "con-man"),
    ("???", "learner"),  # no letter to name the file by: not the line either, which sorting changes
    ("🙂", "learner"),
    ("x" * 59 + " y", "x" * 59),  # cut to 60, and the '-' left at the end goes
    ("é" * 70, "e" * 60),
])
def test_file_stem(name, stem):
    assert file_stem(name) == stem


@pytest.mark.parametrize("name", ["O'Brien", "  Jean-Luc_Picard--2 ", "a`b", "CON", "x" * 59 + " yy", "?!", "Ann.Lee"])
def test_ascii_names_take_a_shortcut_to_the_same_stem(name):
    # A no-break space (not ASCII) sends the name the long way, and changes nothing else.
    assert file_stem(name + "\u00a0") == file_stem(name)


def test_file_stems_are_safe_on_every_system():
    hostile = ['a<b>c:d"e/f\\g|h?i*j', "../../etc/passwd", ".hidden", "trailing. ", "-rf", "CON.txt",
               "\u202eevil", "a\u0000b", "ج" * 100, "𠀀" * 100]
    for name in hostile:
        stem = file_stem(name)
        assert re.fullmatch(r"[^\W_]+(-[^\W_]+)*", stem) and len(stem) <= 60, (name, stem)
        assert len((stem + "-10000.pdf").encode()) <= 255, name


def test_stems_are_unique_ignoring_case_and_numbered_from_2():
    text = "name,email\nAnn Lee,1@x\nANN LEE,2@x\nAnn Lee 2,3@x\nann-lee,4@x\nCon,5@x\ncon learner,6@x\n???,7@x\n"
    assert [learner.stem for learner in learners(text)] == [
        "ann-lee", "ann-lee-3", "ann-lee-2", "ann-lee-4", "con-learner", "con-learner-2", "learner"]


def test_namesakes_are_numbered_by_their_emails_so_sorting_the_file_renames_nobody():
    rows = ["Sam Lee,sam@b.org", "SAM LEE,sam@a.org", "Sam Lee 2,x@c.org", "Sam Lee,", "???,", "!!!,q@x"]
    expected = {("Sam Lee", ""): "sam-lee", ("SAM LEE", "sam@a.org"): "sam-lee-3",
                ("Sam Lee", "sam@b.org"): "sam-lee-4", ("Sam Lee 2", "x@c.org"): "sam-lee-2",
                ("???", ""): "learner", ("!!!", "q@x"): "learner-2"}
    for order in (rows, rows[::-1], sorted(rows), rows[2:] + rows[:2]):
        found = learners("name,email\n" + "\n".join(order) + "\n")
        assert {(learner.name, learner.email): learner.stem for learner in found} == expected, order


def test_a_stem_counts_on_past_a_number_already_taken():
    text = "name,email\nAnn,1@x\nAnn 2,2@x\nAnn,3@x\nAnn,4@x\n"
    assert [learner.stem for learner in learners(text)] == ["ann", "ann-2", "ann-3", "ann-4"]


# Problems with a row: each row reported once, and left out

def test_a_row_that_is_not_utf8_names_the_byte_and_its_column():
    data = "name,group\nZoë,A\nZoë ".encode() + b"Ren\xe9e,A\nAnn,A\n"  # Latin-1 after UTF-8: pasted in
    result = parse_cohort(data, FILE)
    assert [str(problem) for problem in result.bad_rows] == [
        "cohort.csv:3:8: byte 0xe9 is not UTF-8 text: save the file as UTF-8 (in Excel, as "
        "'CSV UTF-8 (comma delimited)')"]
    assert [learner.name for learner in result.learners] == ["Zoë", "Ann"]


def test_a_byte_that_is_not_utf8_on_the_second_line_of_a_row():
    assert bad_rows(b'name,group\n"Ann\nL\xe9e",A\nBob\n') == [
        "cohort.csv:3:2: byte 0xe9 is not UTF-8 text: save the file as UTF-8 (in Excel, as "
        "'CSV UTF-8 (comma delimited)')"]


def test_an_empty_name():
    assert bad_rows("email,name\na@x.org,  \nb@x.org\n") == [
        "cohort.csv:2:9: the name is empty: fill it in, or delete the row",
        "cohort.csv:3:1: the name is empty: fill it in, or delete the row"]


def test_a_duplicate_names_the_line_of_the_first():
    assert bad_rows("name,email\nSiobhán Ní Bhriain,S@X.org\n\nsiobhán  ní bhriain,s@x.ORG\n") == [
        "cohort.csv:4:1: the learner 'siobhán  ní bhriain' (s@x.ORG) is already on line 2: delete one of "
        "the two rows"]


def test_a_duplicate_without_emails_suggests_giving_them_emails():
    assert bad_rows("name\nZoe\u0308\nZOË\n") == [
        "cohort.csv:3:1: the learner 'ZOË' is already on line 2: delete one of the two rows, or give "
        "each their email if they are two people"]


def test_a_stray_comma_in_an_unquoted_name():
    assert bad_rows("name,email\nSmith, Alice,a@x.org\nBob,b@x.org,,  ,\n") == [
        "cohort.csv:2:1: this row has 3 values but the header names 2 columns: put a name (or any value) that "
        "holds a comma in double quotes, e.g. \"Smith, Alice\""]


def test_a_stray_semicolon_in_a_semicolon_file():
    assert bad_rows("name;email\nSmith; Alice;a@x.org\n") == [
        "cohort.csv:2:1: this row has 3 values but the header names 2 columns: put a name (or any value) that "
        "holds a semicolon in double quotes, e.g. \"Smith; Alice\""]


@pytest.mark.parametrize("value, what", [
    ("Ann\tLee", "U+0009 (a tab)"),
    ("Ann\rLee", "U+000D (a control character)"),
    ("Ann\x1bLee", "U+001B (a control character)"),
    ("Ann\u202eeeL", "U+202E (an invisible text direction mark)"),
    ("\u200fمحمد", "U+200F (an invisible text direction mark)"),
    ("\u2066Ann\u2069", "U+2066 (an invisible text direction mark)"),
    ("\ufeffAnn", "U+FEFF (an invisible byte order mark)"),
    ("Ann\u2028Lee", "U+2028 (a line separator)"),
])
def test_control_characters_in_a_field(value, what):
    assert bad_rows(f"email,name\na@x.org,{value}\n") == [
        f"cohort.csv:2:9: the name holds {what}, which cannot be printed: remove it"]


def test_control_characters_in_other_columns():
    assert bad_rows("name,group,cohort\nAnn,\"Red\x07\",x\n") == [
        "cohort.csv:2:5: the group holds U+0007 (a control character), which cannot be printed: remove it"]


@pytest.mark.parametrize("column, limit, message", [
    ("name", 80, "more than the 80 that fit on the cover: shorten it"),
    ("cohort", 100, "more than the 100 that fit on the cover: shorten it"),
    ("group", 100, "more than the 100 that fit on the cover: shorten it"),
])
def test_lengths_at_and_over_the_limit(column, limit, message):
    header = f"name,{column}\n" if column != "name" else "name\n"
    prefix = "Ann," if column != "name" else ""
    assert bad_rows(f"{header}{prefix}{'é' * limit}\n") == []
    assert bad_rows(f"{header}{prefix} {'e' * (limit + 1)} \n") == [
        f"cohort.csv:2:{len(prefix) + 1}: the {column} is {limit + 1} characters long, {message}"]


def test_an_email_over_254_characters():
    fits, too_long = "a" * 64 + "@" + "b" * 189, "a" * 64 + "@" + "b" * 190
    assert bad_rows(f"name,email\nAnn,{fits}\n") == []
    assert bad_rows(f"name,email\nAnn,{too_long}\n") == [
        "cohort.csv:2:5: the email is 255 characters long, more than the 254 that an email address may have: "
        "shorten it"]


@pytest.mark.parametrize("email", ["ann.example.org", "ann@@example.org", "ann@", "@example.org",
                                   "ann lee@example.org", "a@x.org; b@x.org"])
def test_an_email_that_is_not_one_address(email):
    assert bad_rows(f'name,email\nAnn,"{email}"\n') == [
        f"cohort.csv:2:5: '{email}' is not an email address (one '@' with text on each side, and no spaces): "
        "correct it, or leave it empty"]


def test_text_after_a_closing_quote():
    assert bad_rows('name,email\n"Dwayne "The Rock" Johnson",d@x.org\n"Ann" Lee\n') == [
        'cohort.csv:2:1: text follows the closing quote of this field: a quote inside a quoted field is '
        'written twice, e.g. "Dwayne ""The Rock"" Johnson"',
        'cohort.csv:3:1: text follows the closing quote of this field: a quote inside a quoted field is '
        'written twice, e.g. "Dwayne ""The Rock"" Johnson"']


def test_only_the_first_problem_of_a_row_is_reported_and_good_rows_are_kept():
    result = parse_cohort("name,email,group\n,bad,\"x\x01\"\nAnn,also bad,\nBob\n".encode(), FILE)
    assert [str(problem) for problem in result.bad_rows] == [
        "cohort.csv:2:1: the name is empty: fill it in, or delete the row",
        "cohort.csv:3:5: 'also bad' is not an email address (one '@' with text on each side, and no spaces): "
        "correct it, or leave it empty"]
    assert result.learners == (Learner("Bob", line=4, stem="bob"),)


def test_a_row_across_lines_reports_a_problem_where_its_field_starts():
    assert bad_rows('name,email\n"Ann\nLee","x\ny"\n') == [
        "cohort.csv:3:6: 'x\\ny' is not an email address (one '@' with text on each side, and no spaces): "
        "correct it, or leave it empty"]


def test_a_long_value_is_echoed_short():
    email = "x" * 100
    assert bad_rows(f"name,email\nAnn,{email}\n") == [
        f"cohort.csv:2:5: '{'x' * 59}…' is not an email address (one '@' with text on each side, and no "
        "spaces): correct it, or leave it empty"]


# Problems with the file as a whole

@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_is_refused(bom):
    assert refused(bom + "name\nAnn\n".encode("utf-16-le")) == [
        "cohort.csv:1:1: the file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' in Excel, or as "
        "UTF-8 text in another program"]


def test_utf16_without_its_byte_order_mark_is_refused():
    assert refused("name,email\nAnn,a@x\n".encode("utf-16-le")) == [
        "cohort.csv:1:1: the header line holds NUL characters, so this is not UTF-8 text: save it as "
        "'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 text in another program"]


def test_a_spreadsheet_workbook_is_refused():
    assert refused(b"PK\x03\x04\x14\x00\x06\x00") == [
        "cohort.csv:1:1: the file is a spreadsheet workbook, not CSV text: open it and save it as "
        "'CSV UTF-8 (comma delimited)'"]


def test_old_mac_line_ends_are_refused():
    assert refused("name,email\rAnn,a@x\r") == [
        "cohort.csv:1:1: the lines end with a carriage return alone (an old Mac format): save it as "
        "'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 text in another program"]


def test_a_header_that_is_not_utf8():
    assert refused(b"\n\xa0name\nAnn\n") == [
        "cohort.csv:2:1: byte 0xa0 is not UTF-8 text: save the file as UTF-8 (in Excel, as "
        "'CSV UTF-8 (comma delimited)')"]


@pytest.mark.parametrize("text", ["", "\n \r\n\t\n", "\ufeff"])
def test_an_empty_file_has_no_learners(text):
    assert refused(text) == [
        "cohort.csv:1:1: the file has no learners: it is empty; write a header line such as "
        "'name,email,cohort,group', then one learner a line"]


@pytest.mark.parametrize("text, line", [("\nname,email\n", 2), ("name,email\n\n,,\n  \n", 1)])
def test_a_header_without_rows_has_no_learners(text, line):
    assert refused(text) == [
        f"cohort.csv:{line}:1: the file has no learners, only a header line: add a line for each learner "
        "below it"]


def test_every_header_problem_is_reported_at_once_at_its_column():
    assert refused("Full name, e-mail ,email,Email,,cohort,,\nAnn\n") == [
        "cohort.csv:1:1: unknown column 'Full name': the columns may be 'name', 'email', 'cohort' and 'group'",
        "cohort.csv:1:11: unknown column 'e-mail' (did you mean 'email'?): the columns may be 'name', "
        "'email', 'cohort' and 'group'",
        "cohort.csv:1:26: the column 'email' comes twice in the header: delete one of the two",
        "cohort.csv:1:32: this column has no name: name it ('name', 'email', 'cohort' and 'group') or delete it",
        "cohort.csv:1:1: the header has no 'name' column: the first line names the columns, e.g. "
        "'name,email,cohort,group', and 'name' is needed"]


def test_a_missing_header_shows_the_files_own_delimiter():
    assert refused("Ann Lee;ann@x.org\n") == [
        "cohort.csv:1:1: unknown column 'Ann Lee': the columns may be 'name', 'email', 'cohort' and 'group'",
        "cohort.csv:1:9: unknown column 'ann@x.org': the columns may be 'name', 'email', 'cohort' and 'group'",
        "cohort.csv:1:1: the header has no 'name' column: the first line names the columns, e.g. "
        "'name;email;cohort;group', and 'name' is needed"]


def test_a_header_of_too_many_columns_gets_one_message_not_thousands():
    assert len(refused(",".join(["x"] * 20) + "\nAnn\n")) == 21  # each named, and 'name' missing
    assert refused(",".join(["name"] * 21) + "\nAnn\n") == [
        "cohort.csv:1:1: the header has 21 columns: a learners file has only 'name', 'email', 'cohort' and "
        "'group'; delete the others"]


def test_a_misspelt_name_column_gets_a_suggestion():
    assert refused("nmae\nAnn\n")[0] == (
        "cohort.csv:1:1: unknown column 'nmae' (did you mean 'name'?): the columns may be 'name', 'email', "
        "'cohort' and 'group'")


def test_an_unterminated_quote_is_reported_where_it_opens():
    assert refused('name,email\nAnn,a@x.org\n  Bob ,  "b@x.org\nCarol,c@x.org\n') == [
        "cohort.csv:3:10: this quote is never closed, so the rest of the file would be one field: add the "
        "closing '\"' (a quote inside a quoted field is written twice: '\"\"')"]


def test_an_unterminated_quote_in_the_header():
    assert refused('"name\nAnn\n') == [
        "cohort.csv:1:1: this quote is never closed, so the rest of the file would be one field: add the "
        "closing '\"' (a quote inside a quoted field is written twice: '\"\"')"]


def test_at_most_10000_learners():
    rows = "".join(f"L{number}\n" for number in range(MAX_LEARNERS))
    assert refused("name\n" + rows + "\nOne more\n") == [
        "cohort.csv:10003:1: the file has more than 10,000 learners: split the cohort into files of at most "
        "10,000"]


def test_the_limit_counts_rows_not_lines(monkeypatch):
    monkeypatch.setattr(cohort, "MAX_LEARNERS", 2)
    assert len(learners('name\n\n"Ann\nLee"\n,,\nBob\n')) == 2
    assert refused('name\n\n"Ann\nLee"\n,,\nBob\n,bad\n')[0].startswith("cohort.csv:7:1: the file has more than 2 ")


def test_10000_namesakes_are_all_taken_in_little_time():
    rows = "".join(f"Ann Lee,{number}@x\n" for number in range(MAX_LEARNERS))
    started = time.process_time()
    stems = [learner.stem for learner in learners("name,email\n" + rows)]
    assert time.process_time() - started < 3  # 0.2 s; counting from -2 for each namesake takes 14 s
    assert len(stems) == MAX_LEARNERS
    # Numbered in the order of the emails, as text: 0@x, 10@x, 100@x, 1000@x, 1001@x...
    in_order = sorted(range(MAX_LEARNERS), key=lambda number: f"{number}@x")
    assert [stems[number] for number in in_order] == ["ann-lee"] + [f"ann-lee-{n}" for n in range(2, MAX_LEARNERS + 1)]


def test_too_many_bytes():
    assert refused(b"name\n" + b"x" * MAX_BYTES) == [
        "cohort.csv:1:1: the file is 1,000,005 bytes; a learners file may be at most 1,000,000 bytes: split "
        "the cohort into several files"]


# Reading the file

def test_read_cohort_names_the_file_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ward.csv").write_bytes("name,email\nZoë,z@x.org\nAnn,bad\n".encode())
    result = read_cohort(tmp_path / "in" / "ward.csv")
    assert result.learners == (Learner("Zoë", "z@x.org", line=2, stem="zoe"),)
    assert [str(problem) for problem in result.bad_rows] == [
        "in/ward.csv:3:5: 'bad' is not an email address (one '@' with text on each side, and no spaces): "
        "correct it, or leave it empty"]


def test_read_cohort_on_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as caught:
        read_cohort(tmp_path / "cohrot.csv")
    assert str(caught.value) == "there is no file 'cohrot.csv': check the name and folder of the learners' CSV file"


def test_read_cohort_on_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "learners").mkdir()
    with pytest.raises(UserError) as caught:
        read_cohort(tmp_path / "learners")
    assert str(caught.value) == "'learners' is a folder, not a file: give the path of the learners' CSV file"


def test_read_cohort_refuses_a_large_file_having_read_only_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"Ann\n" * 1_000_000)
    given = []
    parse = cohort._parse
    monkeypatch.setattr(cohort, "_parse", lambda data, *rest: given.append(len(data)) or parse(data, *rest))
    with pytest.raises(UserError) as caught:
        read_cohort(path)
    assert str(caught.value) == ("big.csv:1:1: the file is 4,000,005 bytes; a learners file may be at most "
                                 "1,000,000 bytes: split the cohort into several files")
    assert given == [MAX_BYTES + 1]  # the size is the file system's: the rest is never read
