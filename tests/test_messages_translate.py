"""forms.messages.translate on small catalogues written by each test (fast: no scan of the source
tree; the shipped catalogue's coverage is tests/test_message_catalog.py). Each test writes its
own ``messages_xx.json`` into a temporary CATALOG_DIR and clears the catalogue cache, so every
test reads (and pins) the loading rules itself.
"""
from __future__ import annotations

import json
import logging

import pytest

from forms import messages
from forms.messages import translate

LANG = "xx"


@pytest.fixture(autouse=True)
def catalog_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(messages, "CATALOG_DIR", tmp_path)
    messages.load_catalog.cache_clear()
    yield tmp_path
    messages.load_catalog.cache_clear()


def write(tmp_path, msgs: dict, terms: dict | None = None, lang: str = LANG) -> None:
    data = {"language": lang, "messages": msgs, **({"terms": terms} if terms is not None else {})}
    (tmp_path / f"messages_{lang}.json").write_text(json.dumps(data, ensure_ascii=False),
                                                    encoding="utf-8")


def test_catalog_path_names_the_language_file(catalog_dir) -> None:
    assert messages.catalog_path("zh_CN") == catalog_dir / "messages_zh_CN.json"


def test_values_are_filled_in_their_translated_order(catalog_dir) -> None:
    write(catalog_dir, {"Move {0} to {1}.": "把{1}移到{0}前。"})
    assert translate("Move W4 to W12.", LANG) == "把W12移到W4前。"


def test_fixed_text_is_literal_and_must_match_to_the_end(catalog_dir) -> None:
    write(catalog_dir, {"Value (x.y) is {0}.": "值{0}。", "Stop.": "停。"})
    assert translate("Value (x.y) is 5.", LANG) == "值5。"
    for text in ("Value (xzy) is 5.", "Value x.y is 5.", "Stop. now", "Stop"):
        assert translate(text, LANG) == text
    assert translate("Value (x.y) is a\nb.", LANG) == "值a\nb。"      # a value over lines


def test_escaped_braces_are_literal_in_template_and_translation(catalog_dir) -> None:
    write(catalog_dir, {"Use {{id}} for {0}.": "用{{id}}表示{0}。"})
    assert translate("Use {id} for W4.", LANG) == "用{id}表示W4。"
    assert translate("Use {{id}} for W4.", LANG) == "Use {{id}} for W4."


def test_escaped_braces_after_the_last_value(catalog_dir) -> None:
    write(catalog_dir, {"Use {0} for {{id}}.": "用{0}表示{{id}}。"})
    assert translate("Use W4 for {id}.", LANG) == "用W4表示{id}。"
    assert translate("Use W4 for {{id}}.", LANG) == "Use W4 for {{id}}."


def test_a_value_kept_as_written_is_not_translated(catalog_dir) -> None:
    write(catalog_dir, {"Signed by {0} as {1}.": "由{=0}以{1}身份签名。"}, {"nurse": "护士"})
    assert translate("Signed by nurse as nurse.", LANG) == "由nurse以护士身份签名。"


def test_a_value_ends_where_the_fixed_text_first_fits(catalog_dir) -> None:
    write(catalog_dir, {"{0}: {1}": "[{=0}|{=1}]"})
    assert translate("a: b: c", LANG) == "[a|b: c]"


def test_a_value_right_before_another_takes_all_it_can(catalog_dir) -> None:
    write(catalog_dir, {"{0} {1}": "[{=0}|{=1}]", "{0}{1}!": "<{=0}|{=1}>"})
    assert translate("total bilirubin 900", LANG) == "[total bilirubin|900]"
    assert translate("ab!", LANG) == "<ab|>"


def test_the_template_with_more_fixed_text_wins(catalog_dir) -> None:
    # the generic template first in the file: the order comes from the fixed text's length
    write(catalog_dir, {"{0}: {1}": "通用{0}{1}", "Error in {0}: {1}": "{0}出错：{1}"})
    assert translate("Error in W4: late", LANG) == "W4出错：late"
    assert translate("W4: late", LANG) == "通用W4late"


def test_templates_of_equal_fixed_text_keep_the_file_order(catalog_dir) -> None:
    write(catalog_dir, {"{0} is {1}": "甲", "{0}is {1} ": "乙"})
    assert translate("a is b ", LANG) == "甲"


def test_a_multi_digit_placeholder(catalog_dir) -> None:
    en = " ".join(f"{{{i}}}," for i in range(11))
    write(catalog_dir, {en: "{10}|{0}"})
    assert translate(" ".join(f"v{i}," for i in range(11)), LANG) == "v10|v0"


def test_terms_inside_a_value_are_translated_longest_first(catalog_dir) -> None:
    write(catalog_dir, {"Check {0}.": "检查{0}。"},
          {"bilirubin": "胆红素", "total bilirubin": "总胆红素", "INR (x)": "国际标准化比值"})
    assert translate("Check total bilirubin.", LANG) == "检查总胆红素。"
    assert translate("Check the total bilirubin.", LANG) == "检查the 总胆红素。"
    assert translate("Check bilirubin and INR (x) now.", LANG) == \
        "检查胆红素 and 国际标准化比值 now。"
    # a word that only contains a term is not that term
    assert translate("Check bilirubins xbilirubin.", LANG) == "检查bilirubins xbilirubin。"
    assert translate("Check bilirubin,bilirubin.", LANG) == "检查胆红素,胆红素。"


def test_a_term_wins_over_a_shorter_term_it_begins_with(catalog_dir) -> None:
    write(catalog_dir, {"Check {0}.": "检查{0}。"}, {"INR": "国际标准化比值", "INR ratio": "比值"})
    assert translate("Check the INR ratio and INR.", LANG) == "检查the 比值 and 国际标准化比值。"


def test_a_whole_value_that_is_a_term(catalog_dir) -> None:
    write(catalog_dir, {"Role {0}.": "角色{0}。"}, {"a.b": "甲乙"})
    assert translate("Role a.b.", LANG) == "角色甲乙。"


def test_a_path_or_file_name_is_not_searched_for_terms(catalog_dir) -> None:
    write(catalog_dir, {"Cannot read {0}.": "无法读取{0}。"}, {"data": "数据", "csv": "表"})
    for value in ("data/x", "data\\x", "data.csv"):
        assert translate(f"Cannot read {value}.", LANG) == f"无法读取{value}。"
    assert translate("Cannot read data csv.", LANG) == "无法读取数据 表。"
    # text of several words is searched even when it holds a dot
    assert translate("Cannot read data of 1.5 days.", LANG) == "无法读取数据 of 1.5 days。"


def test_a_value_that_is_a_message_itself_is_translated(catalog_dir) -> None:
    write(catalog_dir, {"{0}: {1}": "{0}：{1}", "The value is too high": "数值过高"},
          {"sodium": "钠"})
    assert translate("sodium: The value is too high", LANG) == "钠：数值过高"


def test_messages_inside_values_are_translated_three_levels_deep(catalog_dir) -> None:
    write(catalog_dir, {"Wrap {0}": "包{0}"})
    assert translate("Wrap Wrap Wrap Wrap Wrap x", LANG) == "包包包包Wrap x"


def test_several_catalogued_messages_in_a_row(catalog_dir) -> None:
    write(catalog_dir, {"Too short.": "太短。", "Too simple.": "太简单。", "Go {0}.": "去{0}。",
                        "Wrap {0}": "包{0}"})
    assert translate("Too short. Too simple.", LANG) == "太短。太简单。"
    assert translate("Too short. Go home.", LANG) == "太短。去home。"
    assert translate("Too short. Wrap Wrap Wrap Wrap Wrap x", LANG) == "太短。包包包包Wrap x"
    assert translate("Too short. Too simple. Too short.", LANG) == "太短。太简单。太短。"
    # only a full stop, one space and a capital letter start the next message
    for text in ("Too short. too simple.", "Too short.Too simple.", "Too short.  Too simple.",
                 "Too short! Too simple.", "Too short. Too simple. Unknown."):
        assert translate(text, LANG) == text


def test_a_message_whose_value_holds_a_full_stop_is_one_message(catalog_dir) -> None:
    write(catalog_dir, {"Bad {0}.": "坏{0}。"})
    assert translate("Bad a. Bad b.", LANG) == "坏a. Bad b。"


def test_uncatalogued_text_is_returned_unchanged(catalog_dir) -> None:
    write(catalog_dir, {"[{0}]": "【{0}】"})
    for text in ("Nobody wrote this", "请先选择访视。", "[x] "):
        assert translate(text, LANG) == text
    assert translate("[]", LANG) == "【】"


def test_empty_text_stays_empty_even_where_a_template_would_match_it(catalog_dir) -> None:
    write(catalog_dir, {"{0}": "【{=0}】"})
    assert translate("abc", LANG) == "【abc】"
    assert translate("", LANG) == ""


def test_english_and_languages_without_a_catalog_are_unchanged(catalog_dir) -> None:
    write(catalog_dir, {"Stop.": "停。"}, lang="en")
    assert translate("Stop.", "en") == "Stop."
    assert messages.load_catalog("en") is None
    assert translate("Stop.", "fr") == "Stop." and messages.load_catalog("fr") is None


def test_a_catalog_without_terms(catalog_dir) -> None:
    write(catalog_dir, {"Check {0}.": "检查{0}。"})
    cat = messages.load_catalog(LANG)
    assert cat.terms == {} and cat.term_pattern is None
    assert translate("Check a b.", LANG) == "检查a b。"


def test_the_catalog_is_read_once(catalog_dir) -> None:
    write(catalog_dir, {"Stop.": "停。"})
    assert translate("Stop.", LANG) == "停。"
    write(catalog_dir, {"Stop.": "止。"})
    assert translate("Stop.", LANG) == "停。"
    messages.load_catalog.cache_clear()
    assert translate("Stop.", LANG) == "止。"


def test_the_catalog_file_is_utf8(catalog_dir) -> None:
    write(catalog_dir, {"Stop.": "停。"}, {"β": "贝塔"})
    cat = messages.read_catalog(LANG)
    assert cat.messages == {"Stop.": "停。"} and cat.terms == {"β": "贝塔"}


def _json_error(text: str) -> str:
    with pytest.raises(ValueError) as exc:
        json.loads(text)
    return str(exc.value)


_TABLE = "not a table of texts"


@pytest.mark.parametrize(("content", "reason"), [
    (b"{not json", _json_error("{not json")),
    (b"\xff{}", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    (b"[]", "not a JSON object"), (b'"text"', "not a JSON object"),
    (b'{"terms": {}}', _TABLE), (b'{"messages": []}', _TABLE),
    (b'{"messages": {"Stop.": 5}}', _TABLE),
    (b'{"messages": {"Stop.": "x"}, "terms": ["a"]}', _TABLE),
    (b'{"messages": {}, "terms": {"a": null}}', _TABLE)])
def test_a_catalog_that_cannot_be_read_leaves_english(catalog_dir, caplog, content, reason) -> None:
    path = catalog_dir / f"messages_{LANG}.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="forms.messages"):
        assert translate("Stop.", LANG) == "Stop."
    assert messages.load_catalog(LANG) is None
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (f"message catalogue {path} not used ({reason}): "
                                   "messages stay English")


def test_a_catalog_path_that_is_a_folder_is_no_catalog(catalog_dir, caplog) -> None:
    (catalog_dir / f"messages_{LANG}.json").mkdir()
    with caplog.at_level(logging.WARNING, logger="forms.messages"):
        assert translate("Stop.", LANG) == "Stop."
    assert not caplog.records
