"""Reading an answer for one card: which subject each clause speaks of, and what a claim is said of."""

from __future__ import annotations

from quizcli.judge.clauses import COPULAS, RELATIVES, SUBJECT_WORDS, Clauses, Key, Mention
from quizcli.judge.match import LINK_STEMS, PRONOUNS, Answer, Match, same_word
from quizcli.judge.tokens import CONTRAST, JOINERS, LINK_VERBS, NEGATION, OBJECT_MARKS, Token

CONTRAST_ASIDES = frozenset({"unlike", "compared", "opposed", "contrast"})  # "X, as opposed to Y, ...": X again
# "0.26% more FLOPs": words between a number and the noun it counts
COUNTING = frozenset({"more", "extra", "additional", "fewer", "less", "increase", "rise", "growth", "higher",
                      "lower", "bigger", "larger", "smaller", "added", "new"})
# "a smaller r means more parameters": a condition on a change, then what follows from it
COMPARATIVES = frozenset({"smaller", "larger", "bigger", "lower", "higher", "greater", "narrower", "wider",
                          "tighter", "looser", "less", "more", "fewer", "shrinking", "increasing", "decreasing",
                          "too"})
CONSEQUENCES = frozenset({"means", "mean", "gives", "give", "leads", "lead", "results", "result", "implies",
                          "yields", "get", "gets", "→", "costs", "cost"})


class Reading(Clauses):
    """One answer read for one card: subject mentions and the subject each clause speaks of."""

    def __init__(self, answer: Answer, subjects: list[Key]) -> None:
        self.answer = answer
        tokens = answer.tokens
        content = answer.content
        taken: set[int] = set()
        mentions: list[Mention] = []
        for key in sorted(set(subjects), key=len, reverse=True):
            for k in range(len(content) - len(key) + 1):
                run = content[k:k + len(key)]
                if taken.intersection(run) or len({tokens[i].clause for i in run}) > 1:
                    continue
                named = all(same_word(w, tokens[i].text) for w, i in zip(key, run, strict=True))
                if named and not self._object(run[0], len(key)):
                    taken.update(run)
                    mentions.append(Mention(tuple(run), key, self._contrasted(run[0])))
        self.mentions = sorted(mentions, key=lambda m: m.positions[0])
        self.taken = frozenset(taken)
        answer.mentioned = self.taken
        self.by_clause: dict[int, list[Mention]] = {}
        for mention in self.mentions:
            self.by_clause.setdefault(tokens[mention.positions[0]].clause, []).append(mention)
        self.pending: dict[int, set[Key]] = {}
        self.active_before: dict[int, set[Key]] = {}
        self.bound: dict[int, Mention] = {}  # a clause whose subject is known for sure (a relative's antecedent)
        self.ambiguous: set[int] = set()  # clauses whose carried subject could be either of two things
        self.fronted: dict[int, Key] = {}  # "Being local, a convolution ...": a leading participle's subject
        self._sweep()
        self._front()

    def _object(self, index: int, size: int = 1) -> bool:
        """'one weight per channel', 'which channels': a subject's word used as an object, not a subject.
        After a comma, 'which' opens a relative clause and the noun after it is that clause's own subject
        ('..., which convolutions can only do by stacking layers')."""
        tokens = self.answer.tokens
        before = tokens[index - 1] if index else None
        if before is not None and before.raw == "which" and index >= 2 and tokens[index - 2].text == ",":
            return False
        opens = index < 2 or tokens[index - 2].clause != tokens[index].clause
        if before is not None and before.raw in ("each", "every", "all") and opens and size > 1:
            return False  # "Each conv layer has a small receptive field": the subject, quantified
        return before is not None and (before.raw in OBJECT_MARKS or before.text in OBJECT_MARKS)  # per-channel

    def _contrasted(self, index: int) -> bool:
        tokens = self.answer.tokens
        clause = tokens[index].clause
        for i in range(index - 1, -1, -1):
            if tokens[i].clause != clause:
                return False
            if tokens[i].raw in CONTRAST:
                return True
            if tokens[i].text in NEGATION and self.answer._negates(i):
                # "not negligible parameters", "not negligible in params": the negation is of one word
                between = tokens[i + 1:index]
                return not (sum(t.content for t in between) == 1 and tokens[i + 1].content
                            and not any(t.raw in ("a", "an", "the") for t in between))
        return False

    def _sweep(self) -> None:
        tokens = self.answer.tokens
        active: set[Key] = set()
        rel: tuple[Mention, Key | None, bool] | None = None  # an open relative clause: antecedent, own subject
        rel_sentence = -1
        aside: set[Key] | None = None  # the subject before a contrast aside ("unlike a convolution ...")
        shadowed = False
        plural = False  # the active subject was named in the plural ("the parameters"): "it" is not it
        clauses = sorted({t.clause for t in tokens})
        for n, clause in enumerate(clauses):
            self.active_before[clause] = set(active)
            members = [i for i, t in enumerate(tokens) if t.clause == clause]
            if not members or tokens[members[0]].sentence in self.answer.salad:
                continue
            named = [m for m in self.by_clause.get(clause, []) if not m.contrast]
            joined = self.pending.get(clause, set())
            opening = next((tokens[i] for i in members if tokens[i].kind == "word"), None)
            if opening is not None and opening.raw == "it" and plural and not named and not joined:
                active = set()  # "the parameters grow by 10%; it's two small FC layers": "it" is the block
                self.active_before[clause] = set()
            earlier = [m for m in self.mentions if m.positions[-1] < members[0]]
            relative = self._relative(members) is not None and bool(earlier)
            members_rel = members[self._relative(members) or 0:] if relative else members
            if relative:
                antecedent = earlier[-1]
                own = named and self._right_after(members_rel, named[0])  # ", which convolutions can only ..."
                if own:
                    rel = (antecedent, named[0].key, self._has_verb(members, named[0].positions[-1]))
                else:
                    rel = (antecedent, None, True)
                    if self._verb_next(members_rel):  # ", which uses a large conv kernel": the conv is an object
                        self.bound[clause] = antecedent
                        named = []
                    if not named:
                        active = {antecedent.key}  # "unlike hard attention, which is stochastic and needs RL"
            elif rel is not None and not named and tokens[members[0]].sentence == rel_sentence:
                antecedent, rel_key, complete = rel
                if opening is not None and (opening.kind == "boundary" or opening.raw in SUBJECT_WORDS):
                    if rel_key is not None:  # "..., which a conv does locally, and it rescales ...": either
                        active = {antecedent.key, rel_key}
                        self.ambiguous.add(clause)
                        self.active_before[clause] = set(active)
                    rel = None
                elif not complete and rel_key is not None:  # "which convolutions, being local, can only ..."
                    active = {rel_key}
                    self.active_before[clause] = set(active)
                    rel = (antecedent, rel_key, self._has_verb(members, -1))
                else:  # "hard attention, which picks one region, is not differentiable"
                    active = {antecedent.key}
                    self.active_before[clause] = set(active)
                    rel = None
            else:
                rel = None
            if relative:
                rel_sentence = tokens[members[0]].sentence
            if aside is not None and not named and not relative and opening is not None \
                    and self._is_verb(opening_index(members, tokens)):
                active = aside  # "SE, unlike a convolution whose weights are fixed, computes ...": SE again
                self.active_before[clause] = set(active)
            aside = None
            if any(tokens[i].raw in CONTRAST_ASIDES for i in members[:3]) and active and n:
                aside = set(active)
            if named:
                subject = self._governing(named)
                active = {subject.key} | (joined if named[0] is named[-1] else set())
                last = tokens[subject.positions[-1]].raw
                plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
            elif self._heading(members):
                active = set()  # "Structure: ...": a heading names what follows, something the card does not
            elif shadowed and active:
                self.ambiguous.add(clause)
            if named:
                shadowed = False
            elif rel is None and active and self._opens_own_subject(members):
                shadowed = True  # "the block itself is ...; so its cost ...": "it" may be either after it
            for mention in self.by_clause.get(clause, []):
                after = mention.positions[-1] + 1
                if after < len(tokens) and tokens[after].raw in RELATIVES:
                    active = {mention.key}  # "unlike hard attention which is stochastic and needs RL"
            content = [i for i in members if tokens[i].content]
            bare = bool(content) and all(any(i in m.positions for m in named) for i in content)
            if bare and n + 1 < len(clauses):
                following = next((t for t in tokens if t.clause == clauses[n + 1]), None)
                if following is not None and following.raw in JOINERS:
                    self.pending[clauses[n + 1]] = {m.key for m in named} | joined

    def _front(self) -> None:
        """'Processing only a small neighbourhood, a convolution needs ...': a sentence that opens with a
        participle phrase says it of the subject named right after it."""
        tokens = self.answer.tokens
        clauses = sorted({t.clause for t in tokens})
        for n, clause in enumerate(clauses[:-1]):
            members = self.answer.clause_tokens(clause)
            words = [i for i in members if tokens[i].kind == "word"]
            if not words or self.by_clause.get(clause) or (words[0] and tokens[words[0] - 1].sentence
                                                           == tokens[words[0]].sentence):
                continue
            lead = tokens[words[0]].raw
            if not (lead in ("being", "having") or (lead.endswith("ing") and len(lead) > 5)):
                continue
            following = self.answer.clause_tokens(clauses[n + 1])
            named = [m for m in self.by_clause.get(clauses[n + 1], []) if not m.contrast]
            if not named or tokens[following[0]].sentence != tokens[members[0]].sentence:
                continue
            lead_words = [i for i in following if tokens[i].kind == "word" and tokens[i].raw not in ("a", "an", "the")]
            if lead_words and lead_words[0] == named[0].positions[0]:
                self.fronted[clause] = named[0].key

    def _governing(self, named: list[Mention]) -> Mention:
        """The subject among a clause's mentions: the last named, unless the first is followed by its verb
        ('channel attention gives a spatial map', 'hard attention is soft attention with ...')."""
        if len(named) < 2:
            return named[-1]
        tokens = self.answer.tokens
        first, second = named[0], named[1]
        between = range(first.positions[-1] + 1, second.positions[0])
        verb = any(tokens[i].kind == "word" and (tokens[i].raw in LINK_VERBS or tokens[i].text in LINK_STEMS)
                   for i in between)
        return first if verb or self._equated(first) else named[-1]

    def _equated(self, mention: Mention) -> bool:
        """'Hard attention is soft attention with a temperature of zero': the subject is the first named."""
        tokens = self.answer.tokens
        after = mention.positions[-1] + 1
        while after < len(tokens) and tokens[after].raw in ("just", "basically", "essentially", "really", "simply"):
            after += 1
        return after < len(tokens) and tokens[after].raw in COPULAS

    def _heading(self, members: list[int]) -> bool:
        """A clause of one or two words ending in ':' ('Structure:', 'Main idea:')."""
        tokens = self.answer.tokens
        words = [i for i in members if tokens[i].kind == "word"]
        last = tokens[members[-1]]
        return bool(words) and len(words) <= 2 and last.kind == "mark" and last.text == ":"

    def _names_its_own_subject(self, clause: int, match: Match) -> bool:
        """'accuracy gains are significant': a clause opening with a noun and a copula speaks of that noun."""
        tokens = self.answer.tokens
        words = [i for i in self.answer.clause_tokens(clause) if tokens[i].kind == "word"]
        if words and tokens[words[0]].raw in ("where", "when", "which", "that"):
            return False  # "(..., where C is 2048) is not negligible": a relative aside, not the clause's subject
        opening: list[int] = []
        for i in words[:4]:
            if tokens[i].raw in COPULAS:
                return bool(opening) and not any(j in match.positions for j in opening)
            if tokens[i].raw in ("their", "his", "her"):
                return False  # "but their weights are static": theirs, the subject before
            if tokens[i].content or tokens[i].raw in PRONOUNS:
                if tokens[i].raw in PRONOUNS:
                    return False
                opening.append(i)
        return False

    def conjunction(self, match: Match) -> bool:
        """'Where channel attention gives ..., spatial ...': a sentence opening 'where' + a subject joins clauses."""
        tokens = self.answer.tokens
        if len(match.positions) != 1 or tokens[match.first].raw not in ("where", "what"):
            return False
        i = match.first
        opens = i == 0 or tokens[i - 1].sentence != tokens[i].sentence
        following = [j for j in range(i + 1, min(i + 3, len(tokens))) if tokens[j].raw not in ("a", "an", "the")]
        return opens and bool(following) and following[0] in self.taken

    def in_contrast(self, match: Match) -> bool:
        """Words after 'compared to', 'unlike', 'than', 'vs' in their clause describe the other thing."""
        tokens = self.answer.tokens
        clause = tokens[match.first].clause
        return any(tokens[i].raw in CONTRAST for i in self.answer.clause_tokens(clause) if i < match.first)

    def paired(self, match: Match) -> bool:
        """'(what vs where)': a bare term on one side of 'vs' names no subject of its own."""
        tokens = self.answer.tokens
        clause = tokens[match.first].clause
        if self.by_clause.get(clause):
            return False
        members = self.answer.clause_tokens(clause)
        if sum(tokens[i].content for i in members) > 2:
            return False
        nxt = members[-1] + 1
        return tokens[members[0]].raw in ("vs", "versus") or (nxt < len(tokens) and tokens[nxt].raw in ("vs", "versus"))

    def conditional(self, match: Match) -> bool:
        """'a smaller r means more parameters', 'the smaller r, the more parameters': the words follow from a
        change said before them, so they describe that change, not the thing itself ('the reduction cuts
        parameters'); they do not contradict it."""
        tokens = self.answer.tokens
        sentence = tokens[match.first].sentence
        consequence = False
        for i in range(match.first - 1, -1, -1):
            if tokens[i].sentence != sentence:
                return False
            if i in match.positions:
                continue
            if tokens[i].raw in CONSEQUENCES or tokens[i].text in CONSEQUENCES:
                consequence = True
            elif tokens[i].raw in COMPARATIVES and (consequence or (i and tokens[i - 1].raw == "the")):
                return True  # "smaller r means ...", "the smaller r, the more ..."
        return False

    def _counted(self, match: Match, here: list[Mention]) -> Mention | None:
        """'adds 10% more parameters and only 0.26% more FLOPs': a number is said of the noun it counts."""
        tokens = self.answer.tokens
        last = max(match.positions)
        numeric = tokens[last].raw[:1].isdigit()
        for mention in here:
            if mention.positions[0] > last:
                between = [i for i in self.answer.content if last < i < mention.positions[0]]
                if numeric:
                    return mention if all(tokens[i].raw in COUNTING for i in between) and len(between) <= 2 else None
                # "a negligible 0.26% more FLOPs": a word before a counted noun modifies it
                numbers = [i for i in between if tokens[i].raw[:1].isdigit()]
                words = range(last + 1, mention.positions[0])
                tight = all(tokens[i].kind == "word" for i in words)
                return mention if tight and len(numbers) == 1 and len(between) <= 3 and all(
                    i in numbers or tokens[i].raw in COUNTING for i in between) else None
        return None

    def attached(self, match: Match) -> tuple[set[Key], Mention | None]:
        """The subjects the matched words are said of, and the mention that names them."""
        tokens = self.answer.tokens
        clause = tokens[match.first].clause
        here = [m for m in self.by_clause.get(clause, []) if not set(m.positions) & set(match.positions)]
        counted = self._counted(match, here)
        if counted is not None:
            return {counted.key}, counted
        if clause in self.bound:  # ", which uses a large conv kernel": said of the antecedent
            return {self.bound[clause].key}, self.bound[clause]
        before = [m for m in here if m.positions[-1] < match.first]
        after = [m for m in here if m.positions[0] > match.first]
        joined = self.pending.get(clause, set())
        if before:
            chosen = self._governing(before)
            return {chosen.key} | (joined if chosen is here[0] else set()), chosen
        content = self.answer.content
        if after and content.index(after[0].positions[0]) - content.index(max(match.positions)) == 1 \
                and not any(t.raw == "of" for t in tokens[max(match.positions):after[0].positions[0]]):
            return {after[0].key}, after[0]  # "+10% params": a terse note names its subject last (not "X of Y")
        if any(tokens[i].raw in ("both", "either") for i in self.answer.clause_tokens(clause)):
            named = {m.key for m in self.mentions if not m.contrast and m.positions[0] < match.first}
            lead = next(i for i in self.answer.clause_tokens(clause) if tokens[i].kind == "word")
            later = {m.key for m in self.mentions if not m.contrast}
            distinct = {k for k in later if not any(o != k and names({o}, {k}) for o in later)}
            if not named and tokens[lead].raw == "both" and lead < match.first and len(distinct) >= 2:
                # "Both are trained with backprop; ... hard attention ... soft attention ...": the two named later
                return later, None
            return named, None
        if self._relative(self.answer.clause_tokens(clause)) is not None:  # "unlike a conv, whose weights ..."
            earlier = [m for m in self.mentions if m.positions[-1] < match.first]
            if earlier:
                return {earlier[-1].key}, earlier[-1]
        if self._names_its_own_subject(clause, match):
            return set(), None  # "accuracy gains are significant": about something the card does not name
        if clause in self.fronted:
            return {self.fronted[clause]}, None
        if after and not self._verb_between(max(match.positions), after[0].positions[0]):
            return {after[0].key}, after[0]  # "but a negligible amount of compute": the noun phrase's own noun
        if joined or self.active_before.get(clause):
            return set(joined or self.active_before[clause]), None
        if after:  # "... is what matters, says channel attention": the subject comes last
            return {after[0].key}, after[0]
        return set(), None



def opening_index(members: list[int], tokens: tuple[Token, ...]) -> int:
    """The first word of a clause."""
    return next(i for i in members if tokens[i].kind == "word")


def names(said_of: set[Key], keys: set[Key]) -> bool:
    """Whether a mention names one of the keys: 'normal convolution' names 'convolution'."""
    def within(key: Key, mention: Key) -> bool:
        return any(mention[i:i + len(key)] == key for i in range(len(mention) - len(key) + 1))

    return any(within(key, mention) for key in keys for mention in said_of)
