"""`{% samefor LANGUAGE ... %}...{% endsamefor %}`: a piece of a patient page that is the same for
every patient reading in one language (button labels, the phone's messages, links): rendered once
per worker process and language (and the values named after it), then reused (issue 16).

Only for text made of `{% translate %}`, `{% url %}`, `{% static %}` and the values named in the
tag: never anything about the patient, the request or the database (no csrf_token, no user). Those
come from code and the .mo files, which change only with a deploy (a new process). The store is
dropped when templates are reloaded in development (runserver's file_changed)
and when a test overrides a setting.
"""

from django import template
from django.core.signals import setting_changed
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, SafeString] = {}


def _forget(**_kwargs) -> None:
    _rendered.clear()


file_changed.connect(_forget, dispatch_uid="app_fragments_forget")  # runserver: a template edited
setting_changed.connect(_forget, dispatch_uid="app_fragments_forget_settings")  # tests' overrides


class SameForNode(template.Node):
    def __init__(self, name: str, varies_on: list, nodelist: template.NodeList) -> None:
        self.name = name
        self.varies_on = varies_on
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        key = (
            self.name,
            get_language(),
            *(str(variable.resolve(context)) for variable in self.varies_on),
        )
        text = _rendered.get(key)
        if text is None:
            text = _rendered[key] = self.nodelist.render(context)  # escaped as it rendered
        return text


@register.tag
def samefor(parser: template.base.Parser, token: template.base.Token) -> SameForNode:
    """{% samefor "name" [value ...] %}: "name" tells the pieces apart, the values (resolved
    in the context, e.g. `nav`) are what else the piece depends on."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("samefor needs a quoted name first")
    nodelist = parser.parse(("endsamefor",))
    parser.delete_first_token()
    return SameForNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
