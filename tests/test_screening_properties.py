"""Three-valued screening, as properties (hypothesis), on the bundled and the made-up protocol.

For every criterion and any partly known inputs: completing the unknown inputs of that criterion
with known values ("completions") never gives a decision other than the one made with them
unknown (sound), a criterion left undecided has completions deciding it both ways (tight: an
unknown leaves it open only if its value could change the outcome), and fully known inputs
decide every criterion. Completions run over every yes/no, every score in range, and for dates
every day around each whole-year anniversary of a known date (where an age or an order flips).
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, Protocol, load_protocol
from forms.screening import ScreeningInputs, criterion_inputs, decide, evaluate
from forms.screening_rules import (BOOL_INPUTS, DATE_INPUTS, EXCLUSION_PREFIX, SCORE_INPUTS,
                                   SCORE_RANGES)

PROTOCOLS = (load_protocol(DEFAULT_PROTOCOL_PATH),
             load_protocol(Path(__file__).parent / "fixtures" / "protocols"
                           / "madeup_two_arm.json"))
ANCHOR = date(2026, 3, 1)
EDGE_DATES = (date(2026, 3, 1), date(2026, 2, 28), date(2028, 2, 29), date(2008, 2, 29),
              date(2008, 3, 1), date(1955, 3, 1), date(1956, 2, 29), date(1986, 3, 1))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:            # 29 February in a common year
        return date(d.year + years, 3, 1)


def date_candidates(anchor: date) -> list[date]:
    return [add_years(anchor, y) + timedelta(days=k) for y in range(-130, 131) for k in (-1, 0, 1)]


def candidates(name: str, inputs: ScreeningInputs, anchor: date) -> list:
    if name in BOOL_INPUTS or name.startswith(EXCLUSION_PREFIX):
        return [True, False]
    if name in SCORE_INPUTS:
        lo, hi = SCORE_RANGES[name]
        return list(range(lo, hi + 1))
    return date_candidates(anchor)


def with_value(inputs: ScreeningInputs, name: str, value) -> ScreeningInputs:
    if name.startswith(EXCLUSION_PREFIX):
        return replace(inputs, exclusions={**inputs.exclusions,
                                           name[len(EXCLUSION_PREFIX):]: value})
    return replace(inputs, **{name: value})


def completions(inputs: ScreeningInputs, names: tuple[str, ...]):
    """Every completion of the unknown ``names`` (the first unknown date, when no date is known,
    is pinned to ANCHOR: the rules only compare dates, so both outcomes stay reachable)."""
    unknown = [n for n in names if inputs.value(n) is None]
    known_dates = [inputs.value(n) for n in DATE_INPUTS if inputs.value(n) is not None]
    anchor = known_dates[0] if known_dates else ANCHOR
    pools = []
    for n in unknown:
        if n in DATE_INPUTS and not known_dates:
            pools.append([ANCHOR])
            known_dates.append(ANCHOR)
        else:
            pools.append(candidates(n, inputs, anchor))
    for values in itertools.product(*pools):
        done = inputs
        try:
            for n, v in zip(unknown, values):
                done = with_value(done, n, v)
        except UserError:        # e.g. a birth date after the screening date
            continue
        yield done


def only(inputs: ScreeningInputs, names: tuple[str, ...]) -> ScreeningInputs:
    """The inputs a criterion reads, every other input unknown."""
    plain = {n: inputs.value(n) for n in names if not n.startswith(EXCLUSION_PREFIX)}
    excl = {n[len(EXCLUSION_PREFIX):]: inputs.value(n) for n in names
            if n.startswith(EXCLUSION_PREFIX)}
    return ScreeningInputs(**plain, exclusions=excl)


def maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def partial_inputs(draw):
    protocol: Protocol = draw(st.sampled_from(PROTOCOLS))
    dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates(date(1900, 1, 1), date(2100, 1, 1)))
    values = {n: draw(maybe(dates)) for n in DATE_INPUTS}
    values.update({n: draw(maybe(st.booleans())) for n in BOOL_INPUTS})
    values.update({n: draw(maybe(st.integers(*SCORE_RANGES[n]))) for n in SCORE_INPUTS})
    excl = {c.id: draw(maybe(st.booleans())) for c in protocol.exclusion}
    b, s = values["birth_date"], values["screening_date"]
    assume(b is None or s is None or b <= s)
    return protocol, ScreeningInputs(**values, exclusions=excl)


@settings(max_examples=150, deadline=None)
@given(partial_inputs())
def test_unknown_never_decides_differently_from_a_known_value(case):
    protocol, inputs = case
    for c in protocol.criteria:
        names = criterion_inputs(c)
        now = decide(c, inputs)
        own = only(inputs, names)
        assert decide(c, own) == now, (c.id, "reads an input it does not declare")
        outcomes = {decide(c, done) for done in completions(own, names)}
        assert None not in outcomes, (c.id, "a completion left it undecided")
        if now is None:
            assert outcomes == {True, False}, (c.id, "undecided although no value changes it")
        else:
            assert outcomes == {now}, (c.id, now, outcomes)


@settings(max_examples=150, deadline=None)
@given(partial_inputs())
def test_result_follows_the_outcomes(case):
    protocol, inputs = case
    r = evaluate(protocol, inputs)
    mets = [o.met for o in r.outcomes]
    if False in mets:
        assert r.result == "ineligible"
    elif None in mets:
        assert r.result == "undetermined"
    else:
        assert r.result == "eligible"
    assert r.unmet == tuple(o.id for o in r.outcomes if o.met is False)
    assert r.undetermined == tuple(o.id for o in r.outcomes if o.met is None)
