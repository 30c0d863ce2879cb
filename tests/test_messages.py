"""Message retrieval finds what a loop over every short text with rapidfuzz's own scorers finds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from errcli.catalog import CatalogSet
from errcli.explain.messages import MessageMatcher


@pytest.fixture(scope="module")
def matcher(bundled: CatalogSet) -> MessageMatcher:
    return MessageMatcher(bundled, bundled.catalogs)


def _queries(matcher: MessageMatcher) -> st.SearchStrategy[str]:
    """Messages made of the texts' own words (repeated, misspelt, in any order), and the texts."""
    words = sorted({word for text in matcher.texts for word in text.split()})
    word = st.sampled_from(words)
    typo = st.tuples(word, st.integers(0, 30), st.sampled_from("abexyz 的不")).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]
    )
    message = st.lists(st.one_of(word, typo), min_size=1, max_size=7).map(" ".join)
    return st.one_of(st.sampled_from(matcher.texts), message).map(str.strip).filter(bool)


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_token_scorers_equal_rapidfuzz_over_every_text(matcher: MessageMatcher) -> None:
    @SETTINGS
    @given(_queries(matcher))
    def check(query: str) -> None:
        texts = matcher.texts
        by_sort = process.extract(query, texts, scorer=fuzz.token_sort_ratio, limit=12, score_cutoff=55)
        assert matcher.token_sort(query) == [(s, i) for _, s, i in by_sort]
        by_set = process.extract(query, texts, scorer=fuzz.token_set_ratio, limit=12, score_cutoff=70)
        assert matcher.token_set(query) == [(s, i) for _, s, i in by_set]

    check()


def test_texts_in_and_around_a_message_are_found_without_a_loop(matcher: MessageMatcher) -> None:
    @SETTINGS
    @given(_queries(matcher))
    def check(query: str) -> None:
        texts = matcher.texts
        assert sorted(matcher._within(query)) == [i for i, t in enumerate(texts) if t in query]
        assert matcher._holding(query) == {i for i, t in enumerate(texts) if query in t and t != query}

    check()


def test_a_message_that_names_two_entries_scores_both(matcher: MessageMatcher) -> None:
    scores = matcher.scores("Cancel order failed: Order error: Order not found: O17497151089770000000187")
    assert scores[("qaexchange", 3001)] > scores[("qaexchange", 3002)] >= 75


@pytest.mark.parametrize(
    ("message", "opposite"),
    [
        ("Instrument SHFE.cu2501 already exists", ("qaexchange", 1007)),  # 合约不存在: does not exist
        ("账户不存在: ACC_12", ("qaexchange", 2001)),  # 账户已存在: already exists
        ("Account ACC_12 already exists", ("qaexchange", 1006)),  # 账户不存在
    ],
)
def test_a_message_never_means_its_opposite(matcher: MessageMatcher, message: str, opposite: tuple[str, int]) -> None:
    """ "already exists" is not "does not exist": the words are nearly the same, the meaning opposite."""
    assert matcher.scores(message).get(opposite, 0.0) < 75.0, matcher.scores(message)  # not named by it


def test_existence_words_still_match_their_entry(matcher: MessageMatcher) -> None:
    assert matcher.scores("Account ACC_12 already exists").get(("qaexchange", 2001), 0.0) >= 75.0
    assert matcher.scores("Instrument IF9999 not found").get(("qaexchange", 1007), 0.0) >= 75.0
