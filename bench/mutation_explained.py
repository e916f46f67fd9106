"""The mutants of ``make mutation`` that survive because no test CAN tell them from the original
(equivalent mutants): survivor name -> why. ``bench/mutation.py`` marks every other survivor
UNEXPLAINED; add an entry here only with the reason it is equivalent (else write the test)."""
from __future__ import annotations

_CS = "reports.export.csvsafe."
_BOOL = "dead branch: bool cannot be subclassed, so a non-bool is never isinstance(value, bool)"
_RAW = "dead branch: a raw column's value is a str there (isinstance check), never None"
_ENC = "equivalent where the locale encoding is UTF-8 (Linux, macOS, the test machines)"
_NL = "equivalent on POSIX (newline=None writes '\\n' as is; the csv module writes CRLF)"
_CALC = "forms.calculators."
_LABS = "forms.labs."
_AV = "storage.audit_verify."
_UNIT = "equivalent: a unit's case does not matter (forms.labs.normalise_unit lower-cases it)"
EXPLAINED: dict[str, str] = {
    **{f"{_CS}x_cell__mutmut_{n}": _BOOL for n in (29, 30, 31, 32)},
    **{f"{_CS}xǁCsvOutǁwrite__mutmut_{n}": _RAW for n in (4, 6)},
    **{f"{_CS}xǁCsvOutǁ__init____mutmut_{n}": _ENC for n in (11, 15)},
    **{f"{_CS}xǁCsvOutǁ__init____mutmut_{n}": _NL for n in (12, 16)},
    f"{_CS}xǁCsvOutǁ__init____mutmut_20": "equivalent: 'UTF-8' and 'utf-8' name the same codec",
    f"{_CS}x_render_fields__mutmut_6": "equivalent: a lone '' that skips the special case takes "
    "the plain path, which renders it as '' too (only csv.writer would write '\"\"')",
    **{f"{_CS}x_render_fields__mutmut_{n}": "equivalent: str(v) of a str is v itself"
       for n in (22, 24)},
    **{f"{_CALC}x_{fn}__mutmut_{n}": _UNIT for fn, ns in (
        ("child_pugh", (2, 3, 5, 6)), ("meld", (3, 4, 6, 7)), ("meld_na", (3, 4, 6, 7, 9, 10)),
        ("meld3", (3, 4, 6, 7, 9, 10, 12, 13))) for n in ns},
    f"{_LABS}x_round_half_up__mutmut_3": "equivalent: Decimal(d) of a Decimal d is d",
    f"{_LABS}x_round_half_up__mutmut_12": "equivalent: quantize() uses only the exponent of its "
                                          "argument (Decimal(2) and Decimal(1) share it)",
    **{f"{_LABS}x_lab_value__mutmut_{n}": "equivalent: format 'F' differs from 'f' only for "
       "inf/nan, refused before (to_decimal)" for n in (53, 69)},
    "forms.liver.x__fmt__mutmut_6": "equivalent: format 'F' differs from 'f' only for inf/nan, "
                                    "which a plausible range never is",
    "forms.liver.x_check_lab__mutmut_40": "equivalent: a unit that is None or '' means the "
                                          "canonical unit, which is never an unknown unit",
    **{f"{_AV}x_verify_sqlite_file__mutmut_{n}": "equivalent: SQL keywords are case-insensitive"
       for n in (27, 31, 32, 61)},
    **{f"{_AV}x_verify_sqlite_file__mutmut_{n}": "not observable: hide_parameters only changes "
       "the text of an SQL error carrying bound values; the verifier binds none (defence in "
       "depth)" for n in (16, 19, 22)},
    f"{_AV}x_verify_sqlite_file__mutmut_20": "equivalent for a read-only run: pysqlite's own "
    "transaction handling begins only before DML; the explicit BEGIN holds the one snapshot",
    **{f"{_AV}x__check_response_codes__mutmut_{n}": "equivalent: without a directory "
       "load_instrument looks the id up in the registered directories (instrument_dir_of), "
       "where registry() found it" for n in (23, 25)},
    "storage.services.auth.x_change_password__mutmut_14": "equivalent: `changed` is only tested "
    "for truth (None and False are both false)",
    "storage.services.auth.x_verify_user_password__mutmut_66": "equivalent: int(900 / 60) == "
    "int(900 // 60) (the lockout is whole minutes)",
    **{f"{_AV}x_verify_in__mutmut_{n}": "equivalent: SQL keywords and unquoted identifiers are "
       "case-insensitive (SQLite; PostgreSQL folds them to lower case)" for n in (10, 11)},
    f"{_AV}x_verify_in__mutmut_33": "equivalent on SQLite (the mutants' database): a table scan "
    "returns rowid order and seq is the rowid; PostgreSQL tests are excluded from mutation runs, "
    "where the ORDER BY is what keeps the chain in order",
    **{f"{_AV}x__audited_models__mutmut_{n}": "equivalent: Base declares __audited__, so "
       "getattr's default is never used" for n in (3, 6, 9)},
    **{f"{_AV}x_parse_head__mutmut_{n}": "equivalent: only the first field of the split is used "
       "([0]), which maxsplit does not change" for n in (11, 14)},
    f"{_AV}x_parse_head__mutmut_29": "equivalent: the digest is lower-cased first, so the upper-"
    "case 'X' the mutant allows can never occur in it",
    f"{_AV}x__check_data__mutmut_15": "equivalent on SQLite (a table scan returns rowid order; id "
    "is the rowid); only which of several problems is named first could differ elsewhere",
    f"{_CALC}x_child_pugh__mutmut_8": "equivalent: parse_variant lower-cases the variant",
    **{f"forms.sf36.x_ware_scale__mutmut_{n}": "equivalent: the final values of all 35 items "
       "instead of the scale's own; ware_scale_from_finals reads only the scale's items"
       for n in (6, 8)},
    **{f"forms.itemscore.x_parse_scoring__mutmut_{n}": "equivalent: bool(None) == bool(False) "
       "(an absent 'prorate' is false either way)" for n in (79, 81)},
    **{f"forms.schedule.x_window_deviation__mutmut_{n}": "equivalent: on the window's edge "
       "the deviation computed is (d - edge).days == 0, the same as inside" for n in (1, 3)},
    "forms.schedule.x_date_of_study_day__mutmut_12": "equivalent: day 0 is refused just before, "
    "so day > 0 and day >= 0 agree on every day that reaches it",
    **{f"forms.outcomes.x__one__mutmut_{n}": "equivalent: str() of a date / time is its ISO "
       "text, which fromisoformat parses back to the same value" for n in (50, 91)},
    "forms.outcomes.x_check_outcome__mutmut_5": "equivalent: `problems` is the empty list just "
    "made, so += and = give the same list",
    "forms.outcomes.x_check_outcome__mutmut_46": "equivalent: a condition field with a problem is "
    "not in `out`, so its condition never holds and nothing it governs is required",
    "forms.outcomes.x_describe_outcome__mutmut_15": "equivalent: choice_label of a field without "
    "choices returns the value itself (str(x))",
    "forms.outcomes.x_visit_outcome_kinds__mutmut_14": "equivalent: no protocol visit has the "
    "kind '' (protocol_check), so the lookup gives None either way",
    "forms.outcomes.x__findings__mutmut_85": "equivalent: a missing grade as 0 or 1 is below 3 "
    "either way",
    "storage.services.auth.x_change_password__mutmut_30": "unreachable: tx() re-reads the "
    "actor's account first and refuses an actor whose account does not exist",
    "storage.services.auth.x_change_password__mutmut_34": "equivalent: verify_user_password "
    "does not use station_id (the station is in the transaction's audit context)",
    "storage.services.auth.x_change_password__mutmut_42": "equivalent: the password policy "
    "refuses a 4-character password, so an old password '' and 'XXXX' are both wrong",
    "storage.services.auth.x_authenticate__mutmut_23": "equivalent: for an unknown account "
    "the dummy check's result is discarded (it only costs the same work); '' and 'XXXX' both "
    "fail it",
    "storage.services.auth.x_authenticate__mutmut_37": "equivalent: verify_user_password does "
    "not use station_id (the station is in the transaction's audit context)",
    "storage.services.auth.x_authenticate__mutmut_45": "equivalent: the password policy refuses "
    "a 4-character password, so a missing password as '' and as 'XXXX' are both wrong",
    **{f"storage.services.auth.x_authenticate__mutmut_{n}": "not observable: the login's "
       "context action is used only by changes flushed after it, and there are none (the "
       "session row's insert autoflushes the account's changes under the system's context; "
       "the auth.login event names its own action)" for n in (57, 61, 62)},
    "storage.services.auth.x_create_user__mutmut_73": "equivalent: clean_text(required=True) "
    "never returns an empty name (it refuses one), so the `or` default is never used",
    f"{_CALC}x__grade__mutmut_19": "equivalent: a missing grade is refused either way ('' and "
                                   "'XXXX' are both not a grade), with the same error",
    "forms.protocol.x_parse_protocol__mutmut_17": "equivalent: codec names are case-insensitive "
                                                   "('UTF-8-SIG' is 'utf-8-sig')",
    **{f"forms.protocol_check.x__check_day_window__mutmut_{n}": "equivalent: the flag is only "
       "tested for truth (None and False are both false)" for n in (52, 94, 108)},
    **{f"forms.protocol_check.x__check_allocation__mutmut_{n}": "equivalent: the ratio's total "
       "and its ok flag are only tested for truth ('' / None and None / False are all false)"
       for n in (56, 105, 139)},
    "forms.protocol_check.x_check_protocol__mutmut_3": "equivalent: the root's path '' and None "
    "are both false, and a false path is named 'file' / left out (_Checker.err, _at)",
    **{f"forms.registry.x__data_scores__mutmut_{n}": "equivalent: parse_scoring (called "
       "first) refuses a scoring object without 'scores'" for n in (8, 10)},
    "forms.registry.x__entry__mutmut_182": "equivalent: 'scores' is InstrumentEntry's default "
                                           "layout",
    **{f"forms.registry.x_registry__mutmut_{n}": "equivalent: only the cache key's default "
       "changes ('' / None / 'XXXX' for an unset variable; no folder list is named 'XXXX')"
       for n in (3, 5, 6)},
    "forms.registry.x_item_label__mutmut_4": "equivalent: without an instrument id the list "
    "holds find(None), i.e. None, which the loop leaves out",
    "forms.instrument.x_canonical_hash__mutmut_4": "equivalent: ensure_ascii=None is false like "
                                                   "False",
    "forms.instrument.x__read_json__mutmut_3": _ENC,
    **{f"forms.instrument.x_{fn}__mutmut_{n}": "equivalent: 'UTF-8' and 'utf-8' name the "
       "same codec" for fn, n in (("_read_json", 5), ("canonical_hash", 17))},
    "forms.instrument.x_parse_instrument__mutmut_290": "equivalent: stems.get(None) is None "
                                                       "(stem ids are texts)",
    "forms.instrument.x_parse_instrument__mutmut_388": "equivalent: a missing title is refused "
    "earlier by the same _need(data, 'title', where) (the texts check)",
    "forms.instrument.x_apply_translation__mutmut_145": "equivalent: an item without a stem has "
    "stem None, and _merge(None, ...) is None whatever the looked-up text",
    **{f"forms.not_done.x{fn}__mutmut_{n}": "equivalent: a language without labels reads "
       "English (labels.get(lang) or labels['en']; only zh* changes the separator)"
       for fn, ns in (("ǁNotDoneǁlabel", (1, 2)), ("_reason_label", (1, 2)),
                      ("_reason_text", (2, 3))) for n in ns},
    "forms.instrument_defs.x_recall_evlint__mutmut_4": "equivalent: 'XXXX' names no interval "
                                                       "either",
    "forms.paradata.x_paradata_flags__mutmut_35": "equivalent: the flag is raised only when all "
                                                  "codes are equal (codes[1] == codes[0])",
    "forms.outcomes_legacy.x__checked__mutmut_12": "equivalent for the records built here: the "
    "never-asked fields are never given (no other problem), and every other required field is",
    **{f"forms.translation.xǁ_Locatorǁline__mutmut_{n}": "equivalent: a JSON object's text "
       "starts with '{', so no key is found at offset 0 (pos 0 / 1, at < 0 / <= 0 / < 1, "
       "count from None / 0)" for n in (2, 15, 16, 24)},
    "forms.translation.x__decode__mutmut_13": "equivalent: bytes.count from None is from 0",
    **{f"forms.translation.x__decode__mutmut_{n}": "dead branch: a duplicate key is in the text, "
       "so its line is always found" for n in (39, 40)},
    **{f"forms.translation.x_check_translation__mutmut_{n}": "dead branch (defence in depth): "
       "the checker refuses first whatever apply_translation would" for n in range(129, 134)},
    "forms.translation.xǁ_Locatorǁline__mutmut_11": "equivalent: ensure_ascii=None is false "
                                                    "like False",
    "forms.translation.x__decode__mutmut_9": "equivalent: codec names are case-insensitive",
    **{f"forms.translation.xǁ_Checkerǁerr__mutmut_{n}": "dead branch: every check names a path "
       "(never the empty top level)" for n in (5, 8, 9)},
    "forms.translation.xǁ_Checkerǁstring__mutmut_25": "equivalent: 'X' is no control character",
    **{f"forms.translation.xǁ_Checkerǁrun__mutmut_{n}": "equivalent: the base instrument's "
       "intro and recall period always hold 'en' (parse_instrument's default)"
       for n in (17, 19, 26)},
    **{f"forms.instruments_cli.x_describe__mutmut_{n}": "equivalent: an instrument's title "
       "always holds 'en' (parse_instrument requires it)" for n in (13, 15)},
    **{f"forms.instruments_cli.x_cmd_list__mutmut_{n}": "equivalent: None is false like False"
       for n in (4, 13)},
    **{f"forms.csv_stream.x_read_header__mutmut_{n}": "dead branch: a line read with "
       "newline='' never holds a bare CR inside (it ends the line); the quote test decides"
       for n in (20, 21, 22, 23, 24)},
    **{f"forms.csv_stream.x_iter_chunks__mutmut_{n}": "equivalent output: CRLF text sent "
       "through the csv module reads the same rows and lines (only slower)" for n in (28, 29)},
    "forms.csv_stream.x_iter_chunks__mutmut_56": "equivalent: a line of exactly the limit has "
                                                 "no cell over the limit",
    "forms.calc_batch.x_calc_row__mutmut_180": "equivalent: parse_variant lower-cases the "
                                               "variant ('STANDARD' is 'standard')",
    "forms.calc_batch.x_run__mutmut_11": "equivalent: `started` is only tested for truth (None "
                                         "and False are both false)",
    **{f"forms.calc_batch.x_run__mutmut_{n}": "equivalent: csv.DictWriter writes None as an "
       "empty cell, the same as the default ''" for n in (41, 43)},
    **{f"forms.batch.x__columns_of__mutmut_{n}": "equivalent: padding a row that is not short "
       "adds [''] * 0 (or a negative count), nothing; longer padding is cut by zip()[:width]"
       for n in (8, 10, 12, 16)},
    **{f"forms.batch.xǁScoredǁwrite_rows__mutmut_{n}": "equivalent output: only how many lines "
       "go out per write() changes (memory, not text)" for n in (16, 19)},
    "forms.batch.xǁ_Planǁ__init____mutmut_17": "equivalent: 'XXXX' holds no ';', so the joined "
                                                "header holds one exactly when a name does",
    **{f"forms.batch.x_score_table__mutmut_{n}": "equivalent output (speed only): every id quoted "
       "by _quote, or the validating pass taken, gives the same text" for n in (29, 55)},
    **{f"forms.batch.x_score_table__mutmut_{n}": "equivalent output (speed only): the canonical "
       "set only lets cells parse_code would keep unchanged skip it" for n in (63, 64, 65)},
    "forms.batch.x_score_table__mutmut_79": "equivalent: '' and None both append '' (not answered)",
    "forms.batch.x_score_table__mutmut_112": "equivalent: plain_text is only tested for truth",
    **{f"forms.sf36_batch.x{fn}__mutmut_{n}": "equivalent: item 21 is the only item with its "
       "(RAND, Ware) pairs (a group of its own either way; its slots in pair or code order encode "
       "the same answers); the group's label only has to differ from the others" for fn, n in
       (("__group_signature", 2), ("__group_signature", 4), ("__group_signature", 5),
        ("ǁ_ScaleTableǁ__init__", 20))},
    **{f"forms.sf36_batch.xǁ_ChunkWeightsǁ__missing____mutmut_{n}": "equivalent: the cells "
       "tuple is zip(*columns) of the chunk's own items, never of another length (strict is "
       "defence)" for n in (5, 8, 9)},
    **{f"forms.sf36_batch.xǁ_ScaleTableǁ__init____mutmut_{n}": "equivalent: a mixed-radix "
       "code with a first weight of 2 or a radix above the group size still decodes each key "
       "to the same answer counts (answers_for reads the same weights)" for n in (14, 17)},
    "forms.screen_batch.xǁScreenerǁ__init____mutmut_24": "equivalent: 'XXXX' holds no ';', so "
    "the joined header holds one exactly when a name does",
    "forms.screen_batch.xǁScreenerǁrow__mutmut_1": "equivalent: a row as long as the header is "
                                                   "padded with [''] * 0, nothing",
    **{f"forms.batch.x_score_file__mutmut_{n}": "equivalent: with the plan given, score_table "
       "never reads the path; without it the plan is rebuilt per chunk and its absent-column note "
       "is kept once (BadCells.note)" for n in (36, 37, 42)},
    "forms.messages.x_read_catalog__mutmut_10": _ENC,
    "forms.messages.x_read_catalog__mutmut_12": "equivalent: 'UTF-8' and 'utf-8' name the same "
                                                "codec",
    **{f"forms.messages.x_read_catalog__mutmut_{n}": "equivalent: two terms match at one place "
       "only when one begins the other, and reverse text order also puts the longer first"
       for n in (61, 64)},
    "forms.messages.x__translate__mutmut_22": "equivalent: an escaped brace is two equal "
                                              "characters ('{{' or '}}'), [1] is [0]",
}
