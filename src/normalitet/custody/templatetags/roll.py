from typing import Any

from django import template

register = template.Library()


@register.filter
def count_for(counts: dict[Any, Any], unit: Any) -> Any:
    return counts.get(getattr(unit, "pk", None))
