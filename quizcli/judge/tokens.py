"""Words of a typed answer, normalised so that meaning survives spelling.

Code names count as their last part (`torch.sigmoid` -> sigmoid, `x.amax` -> max), common abbreviations
are expanded (NL, SE, GAP, FC, MLP, BN, RL, conv, ...), numbers keep their units (10%, 0.26 %, 2.5M,
C/16, C²/r), words are reduced to a crude stem, and the text is cut into sentences and clauses. Phrases
on a card go through the same function, so a card author writes plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no meaning for matching (they still cut clauses where listed in BOUNDARY).
STOPWORDS = _words("""a an the of to in on for is are be been being by with it its as at from that this these
those than was were who very just also can could will would should may might does do did has have had
there their they them one's into onto about our we you your i my me so then it's means meaning meant""")
NEGATION = frozenset({"not", "no", "never", "without", "neither", "nor", "lack", "instead", "rather", "fail",
                      "none", "nothing", "noth", "ignor", "lose", "discard", "wash", "except", "dilut",
                      "miss", "blur", "beyond", "outside"})  # noth: nothing
HEDGE = frozenset({"only", "just", "merely", "necessarily", "always", "simply", "exactly", "entirely", "even"})
OBJECT_MARKS = frozenset({"per", "each", "every", "all", "which", "across", "over", "along", "among", "between",
                          "about"})
CONTRAST = frozenset({"unlike", "than", "vs", "versus", "compared", "opposed", "contrast"})
BOUNDARY = frozenset({"and", "but", "while", "whereas", "whilst", "however", "so", "because", "although",
                      "though", "unlike", "vs", "versus", "thus", "hence", "therefore", "then", "or"})
JOINERS = frozenset({"and", "or", "&"})
SENTENCE_END = frozenset({".", ";", "!", "?", "\n"})
CLAUSE_END = SENTENCE_END | {",", ":"}
LINK_MARKS = frozenset({":", "=", "→", "+"})
PREPOSITIONS = frozenset({"after", "before", "over", "across", "along", "per", "between", "from", "into",
                          "with", "without", "by", "on", "in", "under", "instead", "inside", "through"})
LINK_VERBS = _words("""is are was were be does do has have uses use using makes make gives give needs need
requires require lets let allows allow learns learn computes compute captures capture takes take picks pick chooses
choose assigns assign samples sample applies apply models model treats treat reduces reduce cuts cut
adds add focuses focus decides decide keeps keep returns return produces produce outputs output gets
get can could will would should must means works work helps help goes go sees see looks look relates
relate lives sits put puts insert inserts stacks builds build forces force""")

# Abbreviations and synonyms, by raw lowercase word; a value may be several words.
SYNONYMS = {
    "nl": "nonlocal", "ca": "channel attention", "gap": "global average pool", "fcs": "fc",
    "linear": "fc", "dense": "fc", "mlps": "mlp", "bn": "batchnorm", "batchnorm2d": "batchnorm",
    "rl": "reinforcement learning", "conv": "conv", "convs": "conv", "convolution": "conv",
    "convolutions": "conv", "convolutional": "conv", "conv2d": "conv", "conv1d": "conv", "attn": "attention",
    "avg": "average", "mean": "average", "avgpool": "average pool", "avgpool2d": "average pool",
    "adaptiveavgpool2d": "adaptive average pool", "maxpool": "max pool", "maxpool2d": "max pool",
    "amax": "max", "maximum": "max", "backprop": "backpropagation", "bp": "backpropagation",
    "backpropogation": "backpropagation", "e2e": "end to end", "params": "parameter", "param": "parameter",
    "gflops": "flop", "flops": "flop", "mflops": "flop", "macs": "mac", "madds": "mac",
    "pixel": "position", "pixels": "position", "location": "position", "locations": "position",
    "positions": "position", "dependency": "relation", "dependencies": "relation",
    "interdependency": "relation", "interdependencies": "relation", "dependence": "relation",
    "relationship": "relation", "relationships": "relation", "relations": "relation",
    "correlation": "relation", "correlations": "relation", "interaction": "relation",
    "interactions": "relation", "recalibrate": "reweight", "recalibrates": "reweight",
    "recalibration": "reweight", "recalibrating": "reweight", "rescale": "reweight", "rescales": "reweight",
    "rescaling": "reweight", "reweights": "reweight", "reweighting": "reweight", "reweighted": "reweight",
    "reweighing": "reweight", "neighborhood": "neighbourhood", "neighbors": "neighbourhood",
    "neighbours": "neighbourhood", "neighboring": "neighbourhood", "neighbouring": "neighbourhood",
    "generalise": "generalize", "generalization": "generalize", "generalisation": "generalize",
    "regularise": "regularize", "regularisation": "regularize", "regularization": "regularize",
    "regularisation's": "regularize", "emphasise": "emphasize", "concatenate": "cat", "concatenates": "cat",
    "concatenated": "cat", "concatenation": "cat", "concat": "cat", "σ": "sigmoid",
    "transformers": "transformer", "thats": "that", "isnt": "is not", "doesnt": "does not", "cant": "can not",
    "cannot": "can not", "wont": "will not", "dont": "do not", "arent": "are not", "vit": "transformer",
    "nonlocal": "nonlocal", "stats": "statistics", "stat": "statistics", "globally": "global", "locally": "local",
    "below": "under", "modify": "change", "modifying": "change", "modifies": "change", "modified": "change",
    "hardly": "barely", "scarcely": "barely", "alter": "change", "altering": "change", "alters": "change",
    "altered": "change", "interdeps": "relation", "deps": "relation", "ctx": "context",
    "gating": "gate", "acc": "accuracy", "gated": "gate", "cut": "reduce", "cuts": "reduce", "cutting": "reduce",
}
BIGRAMS = {("fully", "connect"): "fc", ("non", "local"): "nonlocal", ("batch", "norm"): "batchnorm",
           ("back", "propagation"): "backpropagation", ("less", "than"): "under", ("fewer", "than"): "under",
           ("multi", "layer"): "mlp", ("fc", "layer"): "fc"}
JOIN_PREFIXES = frozenset({"re", "inter", "intra", "co", "pre", "post", "sub", "multi"})

_TOKEN = re.compile(r"""(?P<num>\d+(?:\.\d+)?(?:%|m\b)?)(?![a-z/^])
    |(?P<formula>\d*[a-z](?:\^\d)?/(?:\d+|[a-z])(?![a-z0-9]))
    |(?P<word>[a-z0-9]+(?:\^\d)?(?:-[a-z0-9]+)*)
    |(?P<mark>[,;:.!?=→+&\n])""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    text: str  # normalised
    start: int  # span in the original answer
    end: int
    sentence: int
    clause: int
    kind: str = "word"  # word, mark (punctuation, =, +, →) or boundary (and, but, ...: cuts a clause)
    raw: str = ""  # the word as written, lower case

    @property
    def content(self) -> bool:
        return self.kind == "word" and self.text not in STOPWORDS


def stem(word: str) -> str:
    """A crude suffix stripper, the same for answers and cards: pooling/pooled -> pool, features -> featur."""
    if not word.isalpha() or len(word) < 4:
        return word
    if len(word) == 4:
        return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith(("ss", "us", "is")):
            word = word[:-len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


Rewrite = tuple[str, list[int]]


def _sub(pattern: re.Pattern[str], repl: str | object, text: str, pos: list[int]) -> Rewrite:
    """re.sub that keeps, for every character, its index in the original answer (for evidence)."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last:match.start()])
        where.extend(pos[last:match.start()])
        new = match.expand(repl) if isinstance(repl, str) else repl(match)  # type: ignore[operator]
        span = max(1, match.end() - match.start())
        shift = span - len(new) if match.group(0).endswith(new) else 0  # torch.sigmoid -> sigmoid keeps its place
        out.append(new)
        where.extend(pos[match.start() + min(shift + j, span - 1)] for j in range(len(new)))
        last = match.end()
    out.append(text[last:])
    where.extend(pos[last:len(text)])
    return "".join(out), where + [pos[len(text)]]


_REWRITES: list[tuple[re.Pattern[str], str | object]] = [
    (re.compile(r"_"), " "), (re.compile(r"’"), "'"),
    (re.compile(r"\b(?:e\.g|i\.e|etc|cf)\."), " "),
    (re.compile(r"\b(?:almost|next to|basically|practically|close to|virtually) nothing\b"), "negligible"),
    (re.compile(r"\bconv(?=\d+(?:x\d+)?\b)"), "conv "),  # conv7x7 -> conv 7x7
    (re.compile(r"\bgumbel[- ]?(?:softmax|max)\b"), "gumbel"),  # one estimator, not a softmax
    (re.compile(r"\bw/o\b"), "without"), (re.compile(r"\bw/(?![a-z0-9])"), "with"), (re.compile(r"\bb/c\b"), "because"),
    (re.compile(r"σ"), " sigmoid "),
    (re.compile(r"(?<![\d.=])\b1 (?=(?:layer|step|block|region|location|position|pixel|patch|weight|scalar|head)s?\b)"),
     "one "),  # 1 layer -> one layer
    (re.compile(r"->|=>|→|⟶"), " → "),
    (re.compile(r"²"), "^2"), (re.compile(r"\*\*\s*2"), "^2"),
    (re.compile(r"\bcan't\b"), "can not"), (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\s*([/^])\s*(?=[\w(])"), r"\1"),
    (re.compile(r"\(\s*(\w{1,3}(?:\s*,\s*\w{1,3}){1,4})\s*\)"),
     lambda m: " " + "x".join(p.strip() for p in m.group(1).split(",")) + " "),
    (re.compile(r"(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*%"), r"\1% \2%"),
    (re.compile(r"(\d)\s*[x×*]\s*(\d)"), r"\1x\2"),
    (re.compile(r"(\d)\s*(?:%|percent\b|per cent\b)"), r"\1%"),
    (re.compile(r"(\d)\s*(?:m|mil|million)\b"), r"\1m"),
    (re.compile(r"\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+"), lambda m: m.group(0).rsplit(".", 1)[1]),
    (re.compile(r"[<≤]"), " under "), (re.compile(r"[~≈]"), " about "),
    (re.compile(r"\b([a-z](?:\^\d)?) over (\d+|[a-z])\b"), r"\1/\2"),  # C over 16 -> C/16
]


def _expand(raw: str, spatial_sa: bool) -> list[str]:
    """One raw word -> normalised words (abbreviations, hyphens, code names)."""
    if raw in ("sa",):
        return ["spatial", "attention"] if spatial_sa else ["self", "attention"]
    if "-" in raw:
        head, _, rest = raw.partition("-")
        if head == "non":
            if rest.startswith("local"):
                return ["nonlocal"] + _expand(rest[5:].lstrip("-"), spatial_sa) if rest[5:] else ["nonlocal"]
            if rest.startswith("diff"):
                return ["not", "differentiable"]
            if rest.startswith("linear"):
                return ["nonlinear"]
            return ["not"] + _expand(rest, spatial_sa)
        if head in JOIN_PREFIXES:
            return _expand(head + rest.replace("-", ""), spatial_sa)
        return [w for part in raw.split("-") if part for w in _expand(part, spatial_sa)]
    if raw.startswith("non") and raw[3:] in ("differentiable", "diff"):
        return ["not", "differentiable"]
    value = SYNONYMS.get(raw)
    return value.split() if value else [raw]


@lru_cache(maxsize=4096)
def _norm_word(word: str) -> str:
    stemmed = stem(word)
    return _STEM_SYNONYMS.get(stemmed, stemmed)


def tokenize(text: str, spatial_sa: bool = False) -> tuple[Token, ...]:
    """The answer's tokens with their spans, sentence and clause numbers."""
    lowered, pos = text.lower(), list(range(len(text) + 1))
    for pattern, repl in _REWRITES:
        lowered, pos = _sub(pattern, repl, lowered, pos)
    tokens: list[Token] = []
    sentence = clause = 0
    for match in _TOKEN.finditer(lowered):
        start, end = pos[match.start()], pos[match.end() - 1] + 1
        kind, raw = match.lastgroup, match.group(0)
        if kind == "mark":
            if raw in SENTENCE_END:
                if not (tokens and tokens[-1].text in SENTENCE_END):
                    tokens.append(Token(raw, start, end, sentence, clause, "mark"))
                    sentence, clause = sentence + 1, clause + 1
            else:
                tokens.append(Token(raw, start, end, sentence, clause, "mark"))
                clause += raw in (",", ":")
            continue
        words = [raw] if kind in ("num", "formula") else _expand(raw, spatial_sa)
        for word in words:
            norm = word if kind in ("num", "formula") or word in STOPWORDS else _norm_word(word)
            if word in BOUNDARY:
                clause += 1
                tokens.append(Token(norm, start, end, sentence, clause, "boundary", raw))
            else:
                tokens.append(Token(norm, start, end, sentence, clause, "word", raw))
    return _merge_bigrams(tokens)


def _merge_bigrams(tokens: list[Token]) -> tuple[Token, ...]:
    out: list[Token] = []
    for token in tokens:
        if out:
            merged = BIGRAMS.get((out[-1].text, token.text))
            if merged and out[-1].kind == token.kind == "word":
                last = out.pop()
                out.append(Token(merged, last.start, token.end, last.sentence, last.clause, "word", last.raw))
                continue
        if token.text == "non" and token.kind == "word":
            token = Token("not", token.start, token.end, token.sentence, token.clause, "word", token.raw)
        out.append(token)
    return tuple(out)


@lru_cache(maxsize=2048)
def phrase_words(phrase: str, spatial_sa: bool = False) -> tuple[tuple[str, ...], bool]:
    """A card phrase -> (its content words, whether it is negated: 'not differentiable' -> differentiable, True)."""
    words = [t.text for t in tokenize(phrase, spatial_sa) if t.content]
    negated = False
    kept = []
    for word in words:
        if word in NEGATION:
            negated = not negated
        else:
            kept.append(word)
    return tuple(kept), negated


_STEM_SYNONYMS = {stem(k): " ".join(stem(w) for w in v.split()) for k, v in SYNONYMS.items()
                  if " " not in v and k.isalpha()}
_STEM_SYNONYMS.update({stem(v): v for v in ("reweight", "relation", "position", "transformer")})
