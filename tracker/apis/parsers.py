"""The JSON parser every API uses (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

DRF's own turns a syntax error into a 400 but lets RecursionError through: a 4 KB body of `[`
answered 500 with a traceback per request (issue 15). Nothing we accept nests deeper than a few
levels, so a body nested deeper than MAX_DEPTH is refused too, before any code walks it.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest input we read is 3 levels (an assignment's `changes`: object > list > object).
MAX_DEPTH = 16
TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep."


def _depth_exceeds(data: object, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in value)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
