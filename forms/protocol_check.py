"""Validation of a protocol file's JSON (the schema of :mod:`forms.protocol`, as code).

:func:`check_protocol` walks the whole document and returns *every* problem as
``"path: message"`` (``visits[3].window: lo > hi``, ``arms[1].label.zh_CN: missing``), so a
study manager fixes a file in one pass. Closed vocabularies that the app implements in code --
visit kinds, allocation methods, staff forms, eligibility rule kinds -- are listed here (rule kinds
in :mod:`forms.screening_rules`); everything else (ids, texts, days, numbers) is data.
Stdlib only.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from forms.screening_rules import BOOL_INPUTS, DATE_INPUTS, RULES, SCORE_INPUTS

VISIT_KINDS = ("screening", "baseline", "treatment", "follow_up", "end_of_study",
               "early_termination", "unscheduled")
UNSCHEDULED_KINDS = ("early_termination", "unscheduled")   # no target day, no window
ALLOCATION_METHODS = ("permuted_blocks", "list", "none")
# Staff forms the app implements (a new form is code plus its id here).
STAFF_FORMS = ("eligibility", "labs", "clinician", "imaging", "dose", "vital_status",
               "adverse_events", "hcc")
REQUIRED_LANGUAGES = ("en", "zh_CN")
SITE_KEYS = ("id", "name", "name_zh_CN", "address", "city", "country", "country_code",
             "postcode")
# ISO 3166-1 alpha-3 (SDTM DM.COUNTRY, TS FCNTRY): three upper-case letters, e.g. CHN
_COUNTRY_CODE = re.compile(r"[A-Z]{3}")
MAX_STUDY_DAY = 3650
# Column names of the screening log (``epro screen``): an exclusion id may not take one.
RESERVED_IDS = frozenset(("id", "result", "unmet", "undetermined", *DATE_INPUTS, *BOOL_INPUTS,
                          *SCORE_INPUTS, "decompensation_kinds"))

EXPORT_VALUE_BYTES = 200           # of a SAS transport (v5) value: see _check_export_lengths

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LANG = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


def _type(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "a text", bool: "true/false",
            int: "a whole number", float: "a number", type(None): "null"}.get(type(v), "a value")


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(self, path: str, v: Any, required: Iterable[str], optional: Iterable[str] = (),
            any_keys: bool = False) -> dict | None:
        """An object with these keys (or, with ``any_keys``, any keys)."""
        if not isinstance(v, dict):
            self.err(path or "file", f"expected an object, got {_type(v)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for k in required:
            if k not in v:
                self.err(_at(path, k), "missing")
        for k in v:
            if not any_keys and k not in allowed:
                self.err(_at(path, k), "unknown key")
        return v

    def lst(self, path: str, v: Any, non_empty: bool = False) -> list:
        if not isinstance(v, list):
            self.err(path, f"expected a list, got {_type(v)}")
            return []
        if non_empty and not v:
            self.err(path, "must not be empty")
        return v

    def text(self, path: str, v: Any) -> bool:
        if not isinstance(v, str) or not v.strip():
            self.err(path, "expected a non-empty text" if isinstance(v, str)
                     else f"expected a text, got {_type(v)}")
            return False
        return True

    def ident(self, path: str, v: Any) -> bool:
        if not self.text(path, v):
            return False
        if not _IDENT.fullmatch(v):
            self.err(path, f"'{v}' is not a valid id (a letter, then letters, digits or _)")
            return False
        return True

    def integer(self, path: str, v: Any, lo: int, hi: int) -> bool:
        if isinstance(v, bool) or not isinstance(v, int):
            self.err(path, f"expected a whole number, got {_type(v)}")
            return False
        if not lo <= v <= hi:
            self.err(path, f"must be between {lo} and {hi}")
            return False
        return True

    def boolean(self, path: str, v: Any) -> None:
        if not isinstance(v, bool):
            self.err(path, f"expected true or false, got {_type(v)}")

    def localized(self, path: str, v: Any) -> None:
        """A text per language: en and zh_CN required, other language codes allowed."""
        if self.obj(path, v, (), any_keys=True) is None:
            return
        for lang in REQUIRED_LANGUAGES:
            if lang not in v:
                self.err(_at(path, lang), "missing")
        for lang, text in v.items():
            if not _LANG.fullmatch(lang):
                self.err(_at(path, lang), "not a language code (e.g. en, zh_CN)")
            else:
                self.text(_at(path, lang), text)

    def ids(self, path: str, items: list, key: str = "id") -> list[str]:
        """Each object's id checked and unique within the list; returns the valid ids."""
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or key not in item:
                continue
            v = item[key]
            if not self.ident(_at(_at(path, i), key), v):
                continue
            if v in seen:
                self.err(_at(_at(path, i), key), f"duplicate id '{v}' (also {path}[{seen[v]}])")
            else:
                seen[v] = i
        return list(seen)

    def names(self, path: str, v: Any, known: Iterable[str] | None, what: str) -> list[str]:
        """A list of distinct ids, each one of ``known`` (None: not checked)."""
        known = None if known is None else tuple(known)
        out: list[str] = []
        for i, name in enumerate(self.lst(path, v)):
            p = _at(path, i)
            if not isinstance(name, str):
                self.err(p, f"expected a text, got {_type(name)}")
            elif known is not None and name not in known:
                self.err(p, f"unknown {what} '{name}' (known: {', '.join(known) or 'none'})")
            elif name in out:
                self.err(p, f"'{name}' is listed twice")
            else:
                out.append(name)
        return out


def check_protocol(d: Any, instrument_ids: frozenset[str] | None = None) -> list[str]:
    """Every problem of a parsed protocol file, as ``"path: message"`` (empty when valid). A file
    loaded (``instrument_ids`` given) must also fit the SDTM export; a stored protocol (parsed
    without them) is not judged by that later rule, so a database holding one still opens."""
    c = _Checker()
    root = c.obj("", d, ("version", "study", "arms", "allocation", "instruments", "visits",
                         "eligibility", "outcome_forms"))
    if root is None:
        return c.errors
    if "version" in root:
        c.text("version", root["version"])
    # a missing section is one "missing" error; cross-checks against it are skipped (None)
    if "study" in root:
        _check_study(c, root["study"])
    arms = _check_arms(c, root["arms"]) if "arms" in root else None
    if "allocation" in root:
        _check_allocation(c, root["allocation"], arms)
    instruments = (_check_instruments(c, root["instruments"], instrument_ids)
                   if "instruments" in root else None)
    if "visits" in root:
        _check_visits(c, root["visits"], instruments)
    if "eligibility" in root:
        _check_eligibility(c, root["eligibility"])
    if "outcome_forms" in root:
        c.names("outcome_forms", root["outcome_forms"], STAFF_FORMS, "form")
    if instrument_ids is not None:
        _check_export_lengths(c, root)
    return c.errors


def _check_export_lengths(c: _Checker, root: dict) -> None:
    """Texts the SDTM export writes whole (DM.ARM/ACTARM, EX.EXTRT, STUDYID, SITEID, ARMCD,
    VISIT) fit a SAS transport value; refused at load, not when an export fails months later."""
    study = root["study"] if isinstance(root.get("study"), dict) else {}
    texts = [(_at("study", k), study.get(k)) for k in ("protocol_id", "registry_id")]
    for what, path in (("site", "study.sites"), ("arm", "arms"), ("visit", "visits")):
        items = (study if what == "site" else root).get(path.split(".")[-1])
        for i, x in enumerate(items if isinstance(items, list) else ()):
            x = x if isinstance(x, dict) else {}
            texts.append((_at(_at(path, i), "id"), x.get("id")))
            texts += [(_at(_at(_at(path, i), k), "en"), x[k].get("en")) for k in ("label", "dose")
                      if what == "arm" and isinstance(x.get(k), dict)]
    for path, v in texts:
        if isinstance(v, str) and len(v.encode("utf-8")) > EXPORT_VALUE_BYTES:
            c.err(path, f"{len(v.encode('utf-8'))} bytes: the SDTM export holds at most "
                        f"{EXPORT_VALUE_BYTES} bytes (UTF-8) here; shorten it")


def _check_study(c: _Checker, v: Any) -> None:
    study = c.obj("study", v, ("protocol_id", "registry_id", "title", "sponsor", "sites"))
    if study is None:
        return
    for key in ("protocol_id", "registry_id", "sponsor"):
        if key in study:
            c.text(_at("study", key), study[key])
    if "title" in study:
        c.localized("study.title", study["title"])
    sites = c.lst("study.sites", study.get("sites", []), non_empty="sites" in study)
    for i, s in enumerate(sites):
        path = _at("study.sites", i)
        if c.obj(path, s, ("id", "name"), SITE_KEYS) is not None:
            for k, text in s.items():
                if k != "id" and k in SITE_KEYS:
                    c.text(_at(path, k), text)
            code = s.get("country_code")
            if isinstance(code, str) and code.strip() and not _COUNTRY_CODE.fullmatch(code):
                c.err(_at(path, "country_code"), f"'{code}' is not an ISO 3166-1 alpha-3 "
                                                 "country code (three capital letters, e.g. CHN)")
    c.ids("study.sites", sites)


def _check_arms(c: _Checker, v: Any) -> list[str]:
    arms = c.lst("arms", v, non_empty=True)
    for i, a in enumerate(arms):
        path = _at("arms", i)
        if c.obj(path, a, ("id", "label", "dose")) is not None:
            for k in ("label", "dose"):
                if k in a:
                    c.localized(_at(path, k), a[k])
    return c.ids("arms", arms)


def _check_allocation(c: _Checker, v: Any, arms: list[str] | None) -> None:
    alloc = c.obj("allocation", v, ("method",), ("block_sizes", "ratio"))
    if alloc is None or alloc.get("method") not in ALLOCATION_METHODS:
        if alloc is not None and "method" in alloc:
            c.err("allocation.method", f"unknown method '{alloc['method']}' "
                                       f"(known: {', '.join(ALLOCATION_METHODS)})")
        return
    method = alloc["method"]
    if method != "none" and arms is not None and len(arms) < 2:
        c.err("allocation.method", f"'{method}' randomises: the study needs at least 2 arms")
    total = None
    if "ratio" in alloc:
        if method == "none":
            c.err("allocation.ratio", "not used when method is 'none'")
        elif c.obj("allocation.ratio", alloc["ratio"], (), any_keys=True) is not None:
            ratio = alloc["ratio"]
            ok = True
            for arm, weight in ratio.items():
                if arms is not None and arm not in arms:
                    c.err(_at("allocation.ratio", arm), "not an arm id of 'arms'")
                    ok = False
                ok = c.integer(_at("allocation.ratio", arm), weight, 1, 100) and ok
            for arm in arms or ():
                if arm not in ratio:
                    c.err(_at("allocation.ratio", arm), "missing")
                    ok = False
            total = sum(ratio.values()) if ok else None
    elif method == "permuted_blocks":
        c.err("allocation.ratio", "missing")
    if "block_sizes" in alloc:
        if method != "permuted_blocks":
            c.err("allocation.block_sizes", f"not used when method is '{method}'")
            return
        sizes = c.lst("allocation.block_sizes", alloc["block_sizes"], non_empty=True)
        for i, size in enumerate(sizes):
            path = _at("allocation.block_sizes", i)
            if c.integer(path, size, 1, 1000):
                if total and size % total:
                    c.err(path, f"{size} is not a multiple of the ratio's total {total}")
                elif size in sizes[:i]:
                    c.err(path, f"block size {size} is listed twice")
    elif method == "permuted_blocks":
        c.err("allocation.block_sizes", "missing")


def _check_instruments(c: _Checker, v: Any, known: frozenset[str] | None) -> list[str]:
    items = c.lst("instruments", v, non_empty=True)
    for i, item in enumerate(items):
        path = _at("instruments", i)
        if c.obj(path, item, ("id", "min_days_between")) is None:
            continue
        if "min_days_between" in item:
            c.integer(_at(path, "min_days_between"), item["min_days_between"], 0, 3650)
        iid = item.get("id")
        if known is not None and isinstance(iid, str) and iid not in known:
            c.err(_at(path, "id"), f"unknown instrument '{iid}' "
                                   f"(known: {', '.join(sorted(known)) or 'none'})")
    return c.ids("instruments", items)


def _check_visits(c: _Checker, v: Any, instruments: list[str] | None) -> None:
    visits = c.lst("visits", v, non_empty=True)
    baselines = 0
    for i, visit in enumerate(visits):
        path = _at("visits", i)
        if c.obj(path, visit, ("id", "kind", "label"), ("day", "window", "battery",
                 "staff_forms", "optional_battery", "reason_required")) is None:
            continue
        kind = visit.get("kind")
        if "kind" in visit and kind not in VISIT_KINDS:
            c.err(_at(path, "kind"), f"unknown kind '{kind}' (known: {', '.join(VISIT_KINDS)})")
        baselines += kind == "baseline"
        if "label" in visit:
            c.localized(_at(path, "label"), visit["label"])
        if kind in UNSCHEDULED_KINDS:
            for k in ("day", "window"):
                if k in visit:
                    c.err(_at(path, k), f"a visit of kind '{kind}' has no {k}")
        elif kind in VISIT_KINDS:
            _check_day_window(c, path, visit)
        c.names(_at(path, "battery"), visit.get("battery", []), instruments, "instrument")
        c.names(_at(path, "staff_forms"), visit.get("staff_forms", []), STAFF_FORMS, "form")
        for k in ("optional_battery", "reason_required"):
            if k in visit:
                c.boolean(_at(path, k), visit[k])
    c.ids("visits", visits)
    if visits and baselines != 1:
        c.err("visits", f"needs exactly one visit of kind 'baseline' (found {baselines})")


def _check_day_window(c: _Checker, path: str, visit: dict) -> None:
    if "day" not in visit:
        c.err(_at(path, "day"), "missing")
        return
    day = visit["day"]
    day_ok = c.integer(_at(path, "day"), day, -MAX_STUDY_DAY, MAX_STUDY_DAY)
    if day_ok and day == 0:
        c.err(_at(path, "day"), "there is no study day 0 (day 1 is the first dose, the day "
                                "before is day -1)")
        day_ok = False
    if "window" not in visit:
        return
    wpath = _at(path, "window")
    window = visit["window"]
    if not (isinstance(window, list) and len(window) == 2):
        c.err(wpath, "expected [first day, last day]")
        return
    bounds_ok = True
    for j, bound in enumerate(window):
        if not c.integer(_at(wpath, j), bound, -MAX_STUDY_DAY, MAX_STUDY_DAY):
            bounds_ok = False
        elif bound == 0:
            c.err(_at(wpath, j), "there is no study day 0")
            bounds_ok = False
    if not bounds_ok:
        return
    lo, hi = window
    if lo > hi:
        c.err(wpath, "lo > hi")
    elif day_ok and not lo <= day <= hi:
        c.err(wpath, f"[{lo}, {hi}] does not contain day {day}")


def _check_eligibility(c: _Checker, v: Any) -> None:
    elig = c.obj("eligibility", v, ("inclusion", "exclusion"))
    if elig is None:
        return
    seen: dict[str, str] = {}
    for kind in ("inclusion", "exclusion"):
        lpath = _at("eligibility", kind)
        items = c.lst(lpath, elig.get(kind, []), non_empty=kind == "inclusion" and kind in elig)
        for i, crit in enumerate(items):
            path = _at(lpath, i)
            if c.obj(path, crit, ("id", "text", "rule"), ("params",)) is None:
                continue
            cid = crit.get("id")
            if "id" in crit and c.ident(_at(path, "id"), cid):
                if cid in seen:
                    c.err(_at(path, "id"), f"duplicate id '{cid}' (also {seen[cid]})")
                else:
                    seen[cid] = path
                if kind == "exclusion" and cid.lower() in RESERVED_IDS:
                    c.err(_at(path, "id"), f"'{cid}' is a screening input name; choose another id")
            if "text" in crit:
                c.localized(_at(path, "text"), crit["text"])
            if "rule" in crit:
                _check_rule(c, path, kind, crit)


def _check_rule(c: _Checker, path: str, kind: str, crit: dict) -> None:
    name = crit["rule"]
    rule = RULES.get(name) if isinstance(name, str) else None
    if rule is None:
        c.err(_at(path, "rule"), f"unknown rule kind {name!r} (known: {', '.join(RULES)})")
        return
    if rule.used_for != kind:
        c.err(_at(path, "rule"), f"'{name}' is a rule for the {rule.used_for} list")
        return
    ppath = _at(path, "params")
    params = c.obj(ppath, crit.get("params", {}), rule.params)
    if params is None or set(params) != set(rule.params):
        return
    for key, message in rule.check(params):
        c.err(_at(ppath, key), message)
