"""Query parameters an operation does not take are refused, so the document's list of them is the whole list.

Without it `?stat=rejected` (a typo) answers every application, as if no filter had been asked for.
"""

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.problems import ProblemError
from iin_models.api import FieldError


def _declared(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _declared(dependency)
    return names


async def known_query_parameters(request: Request) -> None:
    """A `validation` problem naming each query parameter the matched route does not declare."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:  # pages for people stay lenient
        return
    unknown = sorted(set(request.query_params) - _declared(route.dependant))
    if unknown:
        raise ProblemError(
            "validation",
            f"{len(unknown)} unknown query parameter(s)",
            errors=[
                FieldError(field=name, location="query", message="is not a parameter of this operation")
                for name in unknown
            ],
        )
