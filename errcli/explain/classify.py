"""Finding → ranked candidates with evidence: one scorer for every kind of response.

Every entry that something points at is a candidate: the entries with the code as sent,
the entries the message matches, the entries documented with the response's HTTP status.
Each is scored on the same evidence:

==================  ======================================================================
code                62 for the code exactly as the entry has it, 60 for the same code folded
                    (``"1001"`` for 1001, ``insufficientBalance`` for INSUFFICIENT_BALANCE):
                    more than a message alone, so a documented code leads and a message that
                    names another entry follows it
envelope            25 when the object has the catalog's envelope with its error condition
                    (``success: false``), else a quarter of the shape's strength; a WebSocket
                    frame around a nested error gives up to 15
http status         12 when the response's status is the entry's documented one
message             60 × (score − 50) / 50 for a match score (0-100) of at least 55: the entry's
                    message templates, titles and documented example messages, then ``errcode search``
                    (the same index, Simplified folding and keywords) with values folded out
==================  ======================================================================

The best candidate wins if it has a code or a clear message behind it; otherwise the HTTP
meaning of the status (the ``http`` catalog) is the entry, with the candidates as alternatives,
or the error is unknown. Confidence comes from the margin over the runner-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from errcli._text import fold_symbol
from errcli.explain.detect import Finding, as_int
from errcli.explain.fields import SUCCESS_CATEGORY, WS_CLOSE_CODES
from errcli.explain.plan import STRONG_SHAPE, EnvHits, keep
from errcli.explain.ranking import ALTERNATIVES, diverse, guessed_catalog, shown_code, top_catalog, with_code, wordy
from errcli.explain.result import Basis, Evidence
from errcli.model import Catalog, Code, Entry

if TYPE_CHECKING:
    from errcli.catalog import CatalogSet
    from errcli.explain.messages import MessageMatcher

CODE_EXACT = 62.0  # above any message alone: a documented code leads, the message's meaning follows
CODE_FOLDED = 60.0
ENVELOPE_STRONG = 25.0
FRAME_MAX = 15.0
NAMED_PRIOR = FRAME_MAX  # a text that names an API (its host, its logger) as much as a frame around it
STATUS_AGREES = 12.0
MESSAGE_SPAN = 60.0  # what a message that matches fully (100) adds; 55 adds 6, 80 adds 36
MESSAGE_FLOOR = 55.0  # below this, a message match is noise
MESSAGE_NOISE = 60.0  # a wordy message that shares no more than this with the code's entry is another meaning
MESSAGE_CLEAR = 75.0  # a message that names an entry on its own
MESSAGE_UNRELATED = 45.0  # the code's entry and the message have nothing in common
SPREAD_WITHIN = 15.0  # alternatives whose messages score this close to the best are spread over the APIs
MESSAGE_OVER_CODE = 88.0  # a message that names an entry beside a code no catalog documents
AMBIGUOUS_MARGIN = 5.0  # two APIs' entries closer than this: the message alone does not choose
STATUS_PHRASE_WEIGHT = 0.7  # the status's own words stand in for a missing message: a weak sign

EntryKey = tuple[str, Code]
_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+").fullmatch  # ACCOUNT_FROZEN: a symbolic code


def key_of(entry: Entry) -> EntryKey:
    return (entry.catalog, entry.code)


CATCH_ALL_TITLES = frozenset({"unknown error", "未知错误", "未知錯誤"})


def _catch_all(entry: Entry) -> bool:
    """The API's code for errors that fit no other (QAExchange's 9999 未知错误)."""
    return any((t or "").strip().lower() in CATCH_ALL_TITLES for t in (entry.title.en, entry.title.zh))


def is_status_entry(entry: Entry) -> bool:
    """An entry that is an HTTP status (the ``http`` catalog, ztdx's status table)."""
    return isinstance(entry.code, int) and entry.code == entry.http_status


@dataclass(frozen=True)
class Verdict:
    """The shared part of an explanation: the same for every finding with the same key."""

    catalog: str | None
    code: Code | None
    entry: Entry | None
    confidence: float
    alternatives: tuple[Entry, ...]
    basis: Basis
    contradiction: bool
    http_status: int | None
    evidence: tuple[Evidence, ...]


class _Candidate:
    __slots__ = ("code", "entry", "env", "evidence", "message", "status", "total")

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.code = 0.0
        self.env = 0.0
        self.status = 0.0
        self.message = 0.0  # the raw match score, 0-100
        self.total = 0.0
        self.evidence: list[Evidence] = []

    def score(self) -> float:
        # a middling match says little (two texts that share "invalid"); a full one says as much as a code
        msg = MESSAGE_SPAN * (self.message - 50.0) / 50.0 if self.message >= MESSAGE_FLOOR else 0.0
        self.total = self.code + self.env + self.status + msg
        return self.total


class Classifier:
    """The catalogs' codes, statuses and texts, indexed once; verdicts cached by finding key."""

    def __init__(self, cs: CatalogSet, catalogs: Sequence[Catalog], forced: bool) -> None:
        self.cs = cs
        self.catalogs = tuple(catalogs)
        self.forced = forced
        self.order = {c.id: i for i, c in enumerate(self.catalogs)}
        self.by_int: dict[int, list[Entry]] = {}
        self.by_symbol: dict[str, list[Entry]] = {}
        self.by_status: dict[int, list[Entry]] = {}
        self.status_catalogs: set[str] = set()
        # the APIs whose codes are all numbers: a symbolic code is none of theirs
        self.numbered = {c.id for c in self.catalogs if c.entries and all(isinstance(e.code, int) for e in c.entries)}
        for cat in self.catalogs:
            if cat.entries and all(is_status_entry(e) for e in cat.entries) and not cat.envelopes:
                self.status_catalogs.add(cat.id)  # a catalog of HTTP statuses (the bundled `http`)
            for entry in cat.entries:
                if isinstance(entry.code, int):
                    self.by_int.setdefault(entry.code, []).append(entry)
                else:
                    if entry.code.strip().lstrip("-").isdigit() and len(entry.code) < 19:
                        self.by_int.setdefault(int(entry.code), []).append(entry)
                    self.by_symbol.setdefault(fold_symbol(entry.code), []).append(entry)
                if entry.symbol:
                    self.by_symbol.setdefault(fold_symbol(entry.symbol), []).append(entry)
                statuses = {entry.http_status, *(c.http_status for c in entry.contexts)} - {None}
                for status in statuses:
                    if status is not None and not is_status_entry(entry):
                        self.by_status.setdefault(status, []).append(entry)
        self._matcher: MessageMatcher | None = None
        self._verdicts: dict[tuple[Any, ...], Verdict] = {}
        # verdicts of codes no catalog documents, keyed without the code: (verdict, the code it shows)
        self._shared: dict[tuple[Any, ...], tuple[Verdict, Code]] = {}
        # numbers findings read for themselves: those an envelope's error_when names, WebSocket close codes
        when = (v for cat in self.catalogs for env in cat.envelopes for v in env.error_when.values())
        self._own_numbers = frozenset(v for v in when if type(v) is int) | frozenset(WS_CLOSE_CODES)

    @property
    def matcher(self) -> MessageMatcher:
        if self._matcher is None:
            from errcli.explain.messages import MessageMatcher

            self._matcher = MessageMatcher(self.cs, self.catalogs)
        return self._matcher

    def verdict(self, finding: Finding) -> Verdict:
        key = finding.key()
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = keep(self._verdicts, key, self._fresh(finding, key))
        return verdict

    def _fresh(self, finding: Finding, key: tuple[Any, ...]) -> Verdict:
        """A new verdict: for a code :meth:`_shares` tells, decided once per rest of the key, the code patched in."""
        if not self._shares(finding.code):
            return self._decide(finding)
        shared = self._shared.get(key[1:])
        if shared is None:
            verdict = self._decide(finding)
            keep(self._shared, key[1:], (verdict, shown_code(finding.code)))
            return verdict
        return with_code(*shared, shown_code(finding.code))

    def patch_code(self, verdict: Verdict, code: int) -> Verdict | None:
        """``verdict`` of an undocumented number, as :meth:`_fresh` gives it for another, ``code``; None when
        either is one findings read for itself (documented, a status, a success or close code, an error_when's)."""
        old = verdict.code
        if verdict.entry is not None or type(old) is not int:
            return None
        own, documented = self._own_numbers, self.by_int
        plain = (0 < abs(n) < 10**15 and n not in own and n not in documented and self._shares(n) for n in (old, code))
        return with_code(verdict, old, code) if all(plain) else None

    def _shares(self, code: Any) -> bool:
        """A code whose verdict is decided once for every code like it: no HTTP status, no catalog's error."""
        number = as_int(code)
        return code is not None and not (number is not None and 100 <= number <= 599) and not self._code_entries(code)

    # -- evidence --

    def _code_entries(self, code: Any) -> list[tuple[Entry, float]]:
        """The entries that document ``code`` as an error (a success code's, market-data's 0, is none)."""
        return [(e, s) for e, s in self._coded(code) if e.category != SUCCESS_CATEGORY]

    def _coded(self, code: Any) -> list[tuple[Entry, float]]:
        number = as_int(code)
        if number is not None:
            exact = type(code) is int or (isinstance(code, float) and code.is_integer())
            return [
                (e, CODE_EXACT if exact == isinstance(e.code, int) else CODE_FOLDED)
                for e in self.by_int.get(number, ())
            ]
        if isinstance(code, str) and code.strip():
            return [
                (e, CODE_EXACT if code in (e.code, e.symbol) else CODE_FOLDED)
                for e in self.by_symbol.get(fold_symbol(code[:200]), ())
            ]
        return []

    def status_entry(self, status: int, priors: dict[str, tuple[float, Evidence]] | None = None) -> Entry | None:
        """The entry for an HTTP status: the status table of the API the shape names, else the HTTP
        catalog's, else another API's status table."""
        entries = [e for e in self.by_int.get(status, ()) if is_status_entry(e)]
        if not entries:
            return None
        top = top_catalog(priors or {})
        entries.sort(
            key=lambda e: (
                e.catalog != top,
                e.catalog not in self.status_catalogs,
                self.order.get(e.catalog, 0),
            )
        )
        return entries[0]

    def _priors(self, envs: EnvHits, outer: EnvHits, named: str | None = None) -> dict[str, tuple[float, Evidence]]:
        """What the shape says about each catalog: its best envelope, else the frame around it, else
        the API a text names."""
        priors: dict[str, tuple[float, Evidence]] = {}
        if named is not None:
            priors[named] = (NAMED_PRIOR, Evidence("named", None, named, value=named))
        for env, strength in envs:
            strong = strength >= STRONG_SHAPE
            weight = ENVELOPE_STRONG if strong else strength / 4.0
            if weight > priors.get(env.catalog, (0.0,))[0]:
                note = "strong" if strong else None
                priors[env.catalog] = (
                    weight,
                    Evidence("envelope", note, env.catalog, value=env.envelope.name),
                )
        for env, strength in outer:
            weight = min(FRAME_MAX, strength / 2.0)
            if weight > priors.get(env.catalog, (0.0,))[0]:
                priors[env.catalog] = (weight, Evidence("frame", None, env.catalog, value=env.envelope.name))
        return priors

    def _decide(self, finding: Finding) -> Verdict:
        """The documented code's entry; else the entry a clear message names; else the HTTP meaning;
        else unknown — each step with the candidates that did not win as alternatives."""
        case = self._gather(finding)
        return self._by_code(case) or self._by_message(case) or self._by_status(case) or self._unknown(case)

    def _gather(self, finding: Finding) -> _Case:
        """Every candidate with its evidence, ranked, and the evidence about the response itself."""
        code = finding.code
        number = as_int(code)
        status = finding.status
        priors = self._priors(finding.envs, finding.outer, finding.named)
        code_hits = self._code_entries(code) if code is not None else []
        domain_hits = [(e, s) for e, s in code_hits if not is_status_entry(e)]
        # a status put in `code` (real servers do): the HTTP meaning, unless an API documents the number
        code_is_status = number is not None and 100 <= number <= 599 and not domain_hits
        if code_is_status and status is None:
            status = number
        message_scores = self.matcher.scores(finding.message) if finding.message else {}
        status_entry = self.status_entry(status, priors) if status is not None else None
        if status_entry is not None and not domain_hits:
            if finding.page or self.matcher.is_phrase(finding.message, status_entry):
                message_scores = {}  # "Not Found" with a 404, a proxy's error page: nothing the status does not say
            if not message_scores:
                # a bare status: the entries whose meaning is the status's ("Too Many Requests") are candidates
                phrase = status_entry.title.en or status_entry.title.zh or ""
                message_scores = {k: v * STATUS_PHRASE_WEIGHT for k, v in self.matcher.scores(phrase).items()}

        cands: dict[EntryKey, _Candidate] = {}

        def cand(entry: Entry) -> _Candidate:
            found = cands.get(key_of(entry))
            if found is None:
                found = cands[key_of(entry)] = _Candidate(entry)
            return found

        for entry, score in domain_hits:
            c = cand(entry)
            c.code = score
            note = "exact" if score == CODE_EXACT else "folded"
            c.evidence.append(Evidence("code", note, entry.catalog, entry.code, value=code))
        for key, score in message_scores.items():
            matched = self.matcher.entry(key)
            if matched is not None and not is_status_entry(matched) and key[0] in self.order:
                cand(matched).message = score
        if status is not None and (not domain_hits or code_is_status):
            for entry in self.by_status.get(status, ()):
                cand(entry)
        for c in cands.values():
            prior = priors.get(c.entry.catalog)
            if prior is not None:
                c.env = prior[0]
                c.evidence.append(prior[1])
            if status is not None and c.entry.http_status == status:
                c.status = STATUS_AGREES
            c.score()
        ranked = sorted(
            cands.values(), key=lambda c: (c.total, c.message, -self.order.get(c.entry.catalog, 0)), reverse=True
        )

        evidence: list[Evidence] = []
        if code is not None:
            if code_is_status:
                evidence.append(Evidence("code", "http_status", value=shown_code(code)))
            elif not domain_hits:
                evidence.append(Evidence("code", "not_documented", guessed_catalog(priors), value=shown_code(code)))
        if finding.status is not None:
            evidence.append(Evidence("http_status", None, value=finding.status))
        if finding.retry_after is not None:
            evidence.append(Evidence("header", None, value=f"Retry-After: {finding.retry_after}"))
        return _Case(
            finding=finding,
            status=status,
            status_entry=status_entry,
            priors=priors,
            ranked=[c for c in ranked if c.total > 0 or c.status],
            coded=bool(domain_hits),
            code_is_status=code_is_status,
            evidence=evidence,
        )

    def _by_code(self, case: _Case) -> Verdict | None:
        """1. The code is documented: its entry leads, and a message that names another follows it."""
        ranked, finding = case.ranked, case.finding
        if not case.coded or not ranked:
            return None
        coded = [c for c in ranked if c.code]
        top_coded = coded[0]
        chosen = ranked[0]
        has_message = bool(finding.message)
        contradiction = False
        if has_message and top_coded.message < MESSAGE_UNRELATED:
            rival = next(
                (c for c in case.rivals(top_coded.entry.catalog, ranked) if not c.code and c.message >= MESSAGE_CLEAR),
                None,
            )
            if rival is not None and rival.message - top_coded.message >= 30:
                contradiction = True
                top_coded.evidence.append(
                    Evidence("message", "contradicts", rival.entry.catalog, rival.entry.code, round(rival.message, 1))
                )
        if has_message and not contradiction:
            note = "agrees" if chosen.message >= MESSAGE_FLOOR else None
            if chosen.message < MESSAGE_UNRELATED:
                note = "unrelated"
            chosen.evidence.append(
                Evidence("message", note, chosen.entry.catalog, chosen.entry.code, round(chosen.message, 1))
            )
        rest = [c for c in ranked if c is not chosen]
        if has_message and chosen.code and (instead := self._instead_of_catch_all(chosen, rest, case)):
            return instead
        if not chosen.code:  # the message's entry outscored every entry with the code
            contradiction = True
        elif (
            has_message
            and not contradiction
            and chosen.message < MESSAGE_NOISE
            and wordy(finding.message)
            and as_int(finding.code) is not None
            and not any(c.message >= MESSAGE_CLEAR for c in case.rivals(chosen.entry.catalog, rest))
        ):
            # the message has nothing of the code's meaning and names no other entry: a server's own use
            # of the number (a name like DATABASE_ERROR says its meaning itself); the documented meaning
            # is only a guess
            alts = (chosen.entry, *case.others(chosen.entry, rest))[:ALTERNATIVES]
            return case.unknown(chosen.entry.catalog, 0.3, alts, [*chosen.evidence, *case.evidence], case.status)
        elif (
            not self.forced
            and chosen.env == 0
            and chosen.message < 60
            and any(p[0] >= ENVELOPE_STRONG for p in case.priors.values())
        ):
            # a specific envelope names the API: a code only another catalog documents is that one's
            # only when the message agrees; else it is unknown there
            guess = guessed_catalog(case.priors)
            ev = [
                *case.evidence,
                Evidence("code", "elsewhere", chosen.entry.catalog, chosen.entry.code, value=shown_code(finding.code)),
            ]
            if guess is not None:
                ev.append(case.priors[guess][1])
            alts = diverse([c.entry for c in ranked], spread=False)
            return case.unknown(guess, 0.3, alts, ev, finding.status)
        runner = rest[0] if rest else None
        margin = chosen.total - (runner.total if runner is not None else 0.0)
        confidence = 0.5 + min(margin, 50.0) / 100.0
        if contradiction:  # both meanings appear, the stronger first
            confidence = min(confidence, 0.5)
            pool = sorted(rest, key=lambda c: (c.message, c.total), reverse=True)
            if chosen is not top_coded:
                pool.remove(top_coded)
                pool.insert(0, top_coded)
            alternatives = case.others(chosen.entry, pool)
        elif runner is not None and confidence < 0.75:
            alternatives = case.others(chosen.entry, rest)
        else:  # the message fits another entry of the API better than the code's: it follows
            better = [
                c
                for c in rest
                if not c.code
                and c.entry.catalog == chosen.entry.catalog
                and c.message >= MESSAGE_CLEAR
                and c.message > chosen.message
            ]
            if isinstance(finding.code, str) and guessed_catalog(case.priors) != chosen.entry.catalog:
                # a name any API may use (RATE_LIMIT_EXCEEDED) outside its API's own shape: the other
                # APIs' entries that the message names follow
                better += [c for c in rest if c.entry.catalog != chosen.entry.catalog and c.message >= MESSAGE_CLEAR]
            alternatives = case.others(chosen.entry, better)
        if finding.status is not None and chosen.entry.http_status not in (None, finding.status):
            case.evidence.append(
                Evidence("http_status", "differs", chosen.entry.catalog, chosen.entry.code, value=finding.status)
            )
        return self._chosen(chosen, "code", confidence, alternatives, contradiction, case)

    def _instead_of_catch_all(self, chosen: _Candidate, rest: list[_Candidate], case: _Case) -> Verdict | None:
        """9999 未知错误 with a message that names an entry of the same API: that entry leads, 9999 follows."""
        if not _catch_all(chosen.entry):
            return None
        named = next(
            (c for c in rest if c.entry.catalog == chosen.entry.catalog and c.message >= MESSAGE_OVER_CODE), None
        )
        if named is None:
            return None
        code = Evidence("code", "catch_all", chosen.entry.catalog, chosen.entry.code, value=chosen.entry.code)
        named.evidence[:0] = [code, *(e for e in chosen.evidence if e.kind not in ("code", "message"))]
        named.evidence.append(Evidence("message", "guess", *key_of(named.entry), round(named.message, 1)))
        alternatives = (chosen.entry, *case.others(named.entry, [c for c in rest if c is not named]))
        return self._chosen(named, "message", 0.6, alternatives[:ALTERNATIVES], False, case)

    def _by_message(self, case: _Case) -> Verdict | None:
        """2. No documented code: a clear message names the entry, unless the shape names another API
        or several APIs' entries fit alike."""
        ranked = case.ranked
        if not ranked:
            return None
        best = ranked[0]
        named = guessed_catalog(case.priors)
        if named is not None and case.priors[named][0] >= ENVELOPE_STRONG and best.entry.catalog != named:
            return None
        code = case.finding.code
        if isinstance(code, str) and _UPPER_SNAKE(code) and best.entry.catalog in self.numbered:
            return None  # a code like ACCOUNT_FROZEN that no API documents: not an API that numbers its codes
        rival = next((c for c in ranked[1:] if c.entry.catalog != best.entry.catalog), None)
        if (
            rival is not None
            and best.total - rival.total < AMBIGUOUS_MARGIN
            and best.env - rival.env < 2.0
            and (case.status_entry is not None or case.finding.code is not None)  # else a low-confidence guess
        ):
            return None
        if best.message < MESSAGE_CLEAR or not (best.message >= 80 or best.env or best.status):
            return None
        if code is not None and not case.code_is_status and best.message < MESSAGE_OVER_CODE:
            return None  # a code of the server's own (KYC_REQUIRED) is its meaning unless the message names one
        best.evidence.append(Evidence("message", "guess", best.entry.catalog, best.entry.code, round(best.message, 1)))
        runner = ranked[1] if len(ranked) > 1 else None
        margin = best.total - (runner.total if runner is not None else 0.0)
        confidence = min(0.75, 0.35 + best.message / 400.0 + min(margin, 30.0) / 100.0)
        alternatives = case.others(best.entry, ranked[1:])
        if case.status_entry is not None:
            alternatives = (*alternatives[: ALTERNATIVES - 1], case.status_entry)
        return self._chosen(best, "message", confidence, alternatives, False, case)

    def _by_status(self, case: _Case) -> Verdict | None:
        """3. The HTTP meaning, with what the message and the documented statuses point at."""
        entry, status = case.status_entry, case.status
        if entry is None:
            return None
        pool = case.ranked
        if case.finding.message:
            pool = [c for c in pool if c.message >= MESSAGE_FLOOR or c.status]
        case.evidence.append(Evidence("http_status", "only", entry.catalog, entry.code, value=status))
        # the API the shape or the text names: its status table answers, or its entries lead the alternatives
        for catalog in dict.fromkeys((entry.catalog, case.finding.named)):
            prior = case.priors.get(catalog) if catalog is not None else None
            if prior is not None and prior[1] not in case.evidence:
                case.evidence.append(prior[1])
        alternatives = case.others(entry, pool)
        # the status's other meaning: the HTTP catalog's beside an API's status table, or the table
        # of the API the shape or the text names beside the HTTP catalog's
        near = {*self.status_catalogs, guessed_catalog(case.priors), case.finding.named}
        twin = [e for e in self.by_int.get(status or 0, ()) if is_status_entry(e) and e.catalog in near]
        twin = [e for e in twin if e.catalog != entry.catalog and e not in alternatives]
        if twin:
            alternatives = (*alternatives[: ALTERNATIVES - 1], twin[0])
        return Verdict(
            entry.catalog,
            entry.code,
            entry,
            0.6,
            alternatives,
            "http_status",
            False,
            status,
            tuple(case.evidence),
        )

    def _unknown(self, case: _Case) -> Verdict:
        """4. Unknown: the API the shape names (if one), and what the message resembles."""
        guess = self.catalogs[0].id if self.forced and len(self.catalogs) == 1 else guessed_catalog(case.priors)
        ev = list(case.evidence)
        if guess is not None and guess in case.priors:
            ev.append(case.priors[guess][1])
        resembles = next((c for c in case.ranked[:ALTERNATIVES] if c.message >= MESSAGE_FLOOR), None)
        if resembles is not None:
            entry = resembles.entry
            ev.append(Evidence("message", "resembles", entry.catalog, entry.code, round(resembles.message, 1)))
        pool = [c for c in case.ranked if c.message >= MESSAGE_FLOOR] or case.ranked
        return case.unknown(guess, 0.3 if guess else 0.0, case.others(None, pool), ev, case.status)

    @staticmethod
    def _chosen(
        chosen: _Candidate,
        basis: Basis,
        confidence: float,
        alternatives: tuple[Entry, ...],
        contradiction: bool,
        case: _Case,
    ) -> Verdict:
        entry, status = chosen.entry, case.status
        ev = [*chosen.evidence, *case.evidence]
        if status is not None and entry.http_status == status:
            ev.append(Evidence("http_status", "documented", entry.catalog, entry.code, value=status))
        return Verdict(
            entry.catalog,
            entry.code,
            entry,
            round(max(0.0, min(0.99, confidence)), 2),
            alternatives,
            basis,
            contradiction,
            status if status is not None else entry.http_status,
            tuple(ev),
        )


@dataclass
class _Case:
    """One finding while it is decided: its ranked candidates and the evidence about the response."""

    finding: Finding
    status: int | None  # the status line's, or the one put in `code`
    status_entry: Entry | None  # the HTTP meaning of ``status``
    priors: dict[str, tuple[float, Evidence]]
    ranked: list[_Candidate]
    coded: bool  # some API documents the code as sent
    code_is_status: bool  # the code is an HTTP status no API documents as its own
    evidence: list[Evidence]

    def rivals(self, catalog: str, pool: Sequence[_Candidate]) -> list[_Candidate]:
        """The candidates that may contradict an entry of ``catalog``: when the shape names that API
        clearly (a DIFF notify, its error envelope), only its own entries; else all of them."""
        prior = self.priors.get(catalog)
        pinned = prior is not None and prior[0] >= ENVELOPE_STRONG and guessed_catalog(self.priors) == catalog
        return [c for c in pool if c.entry.catalog == catalog] if pinned else list(pool)

    def others(self, chosen: Entry | None, pool: Sequence[_Candidate]) -> tuple[Entry, ...]:
        """Alternatives from ``pool``; each API's best guess first when no shape names the API (and the
        message does not name one API's entries far better than the others')."""
        kept = [c for c in pool if chosen is None or key_of(c.entry) != key_of(chosen)]
        best = max((c.message for c in kept), default=0.0)
        close = [c.entry for c in kept if c.message >= best - SPREAD_WITHIN]
        far = [c.entry for c in kept if c.message < best - SPREAD_WITHIN]
        return (*diverse(close, spread=guessed_catalog(self.priors) is None), *far)[:ALTERNATIVES]

    def unknown(
        self,
        catalog: str | None,
        confidence: float,
        alternatives: tuple[Entry, ...],
        evidence: Sequence[Evidence],
        status: int | None,
    ) -> Verdict:
        """An unknown error; ``evidence`` is all of it, in the order the reason reads."""
        code = self.finding.code
        return Verdict(
            catalog,
            shown_code(code) if code is not None else None,
            None,
            confidence,
            alternatives,
            "unknown",
            False,
            status,
            tuple(evidence),
        )
