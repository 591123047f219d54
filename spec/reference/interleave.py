"""§13 Interleaving: two rankings merged for one unit and query, team-draft or balanced, with
coin flips drawn from the spec's hash."""

from __future__ import annotations

from typing import Any, Callable

from .assign import assign
from .config_error import ConfigError
from .json_values import is_number
from .plan import Experiment
from .text import js_json_string, utf8
from .xxh32 import MASK32, xxh32

INTERLEAVE_PURPOSE = 6
MAX_RANKING = 10_000


def _check_ranking(field: str, ranking: Any) -> list[str]:
    if not isinstance(ranking, list) or len(ranking) > MAX_RANKING:
        raise ConfigError(field, ranking, 'must be an array of at most 10000 item ids')
    seen: set[str] = set()
    for i, item in enumerate(ranking):
        if not isinstance(item, str) or item == '':
            raise ConfigError(f'{field}[{i}]', item, 'must be a non-empty string id')
        if item in seen:
            raise ConfigError(f'{field}[{i}]', item, 'must appear once in its ranking')
        seen.add(item)
    return ranking


def coins(unit_key: str, query: str, salt: str) -> Callable[[int], bool]:
    """Flip t: bit (t mod 32) of XXH32(UTF-8(json(unit key) + json(query)), (seed + t div 32) mod 2^32); 1 is A."""
    data = utf8(js_json_string(unit_key) + js_json_string(query))
    seed = xxh32(utf8(salt), INTERLEAVE_PURPOSE)
    return lambda t: (xxh32(data, (seed + t // 32) & MASK32) >> (t % 32)) & 1 == 1


def team_draft(a: list[str], b: list[str], length: int, coin: Callable[[int], bool]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    used: set[str] = set()
    ia = ib = picks_a = picks_b = ties = 0
    while len(items) < length:
        while ia < len(a) and a[ia] in used:
            ia += 1
        while ib < len(b) and b[ib] in used:
            ib += 1
        a_left, b_left = ia < len(a), ib < len(b)
        if not a_left and not b_left:
            break
        if a_left and b_left:
            if picks_a < picks_b:
                team = 'A'
            elif picks_a > picks_b:
                team = 'B'
            else:
                team = 'A' if coin(ties) else 'B'
                ties += 1
        else:
            team = None  # one ranking ran out: the other fills the list, credited to no team
        if team == 'A' or (team is None and a_left):
            item, ia = a[ia], ia + 1
        else:
            item, ib = b[ib], ib + 1
        picks_a += team == 'A'
        picks_b += team == 'B'
        items.append({'id': item, 'team': team})
        used.add(item)
    return items


def balanced(a: list[str], b: list[str], length: int, coin: Callable[[int], bool]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    used: set[str] = set()
    a_first = coin(0)
    ka = kb = 0
    while len(items) < length and (ka < len(a) or kb < len(b)):
        both = ka < len(a) and kb < len(b)
        from_a = (ka < kb or (ka == kb and a_first)) if both else ka < len(a)
        if from_a:
            item, ka = a[ka], ka + 1
        else:
            item, kb = b[kb], kb + 1
        if item in used:
            continue
        used.add(item)
        items.append({'id': item, 'team': ('A' if from_a else 'B') if both else None})
    return items


def interleave(experiment: Experiment, unit: Any, request: Any, attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The list the unit sees (§13): interleaved when the experiment gives it a treatment, else ranking A."""
    if not isinstance(request, dict):
        raise ConfigError('request', request, 'must be an object with query, a, b and length')
    query = request.get('query')
    if not isinstance(query, str):
        raise ConfigError('query', query, 'must be a string')
    a = _check_ranking('a', request.get('a'))
    b = _check_ranking('b', request.get('b'))
    length = request.get('length')
    if not is_number(length) or length != int(length) or not 1 <= length <= MAX_RANKING:
        raise ConfigError('length', length, 'must be a whole number from 1 to 10000')
    length = int(length)
    method = request.get('method', 'team-draft')
    if method not in ('team-draft', 'balanced'):
        raise ConfigError('method', method, 'must be team-draft or balanced')
    outcome = assign(experiment, unit, attributes)
    interleaved = outcome['inExperiment'] and outcome['variant'] != experiment.variants[0]
    coin = coins(outcome['unit'], query, experiment.salt)
    if not interleaved:
        items = [{'id': item, 'team': None} for item in a[:length]]
    elif method == 'balanced':
        items = balanced(a, b, length, coin)
    else:
        items = team_draft(a, b, length, coin)
    return {'variant': outcome['variant'], 'reason': outcome['reason'], 'interleaved': interleaved, 'items': items}
