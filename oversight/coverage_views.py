"""The policy coverage matrix as a page. It shows the source of the release, no department data, so any signed-in
member may read it: the rules they work under and how the software holds to them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import coverage as matrix


@login_required
def coverage(request):
    result = matrix.shipped_matrix()
    counts = result.counts
    return render(
        request,
        "oversight/coverage.html",
        {
            "rows": result.rows,
            "summary": [(status, counts[status]) for status in matrix.Status],
            "warnings": result.warnings,
            "uncovered": result.uncovered,
            "planned": result.planned,
        },
    )
