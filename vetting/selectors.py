"""Reads the vetting pages share, each a constant number of queries whatever the size of the process."""

from django.db.models import Count, Prefetch, Q

from .models import Candidate, ChecklistStep, Finding, HiringProcess, ProcessMember, ProtectedFlag, StepResult


def process_detail(pk: int) -> HiringProcess:
    return (
        HiringProcess.objects.select_related("series", "opened_by")
        .prefetch_related(
            Prefetch("participants", queryset=ProcessMember.objects.select_related("member")),
            Prefetch("steps", queryset=ChecklistStep.objects.order_by("number")),
            Prefetch(
                "candidates",
                queryset=Candidate.objects.annotate(
                    n_findings=Count("findings", distinct=True), n_steps=Count("step_results", distinct=True)
                ).order_by("applicant_number"),
            ),
        )
        .get(pk=pk)
    )


def candidate_file(pk: int) -> Candidate:
    return (
        Candidate.objects.select_related("process__series")
        .prefetch_related(
            Prefetch("process__steps", queryset=ChecklistStep.objects.order_by("number")),
            Prefetch("step_results", queryset=StepResult.objects.select_related("step", "recorded_by")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("step", "recorded_by", "validated_by").prefetch_related(
                    Prefetch(
                        "flags",
                        queryset=ProtectedFlag.objects.select_related("decided_by", "reviewed_by").order_by(
                            "field", "start"
                        ),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def uniformity(process: HiringProcess) -> dict:
    """Every candidate × every checklist step: done, not applicable (and why), or not worked."""
    steps = list(process.steps.order_by("number"))
    candidates = list(process.candidates.order_by("applicant_number"))
    results = {
        (r.candidate_id, r.step_id): r
        for r in StepResult.objects.filter(candidate__process=process).select_related("recorded_by")
    }
    rows = []
    for candidate in candidates:
        cells = [results.get((candidate.pk, step.pk)) for step in steps]
        rows.append(
            {
                "candidate": candidate,
                "cells": cells,
                "skipped": sum(1 for c in cells if c is not None and c.outcome == StepResult.Outcome.NOT_APPLICABLE),
                "missing": sum(1 for c in cells if c is None),
            }
        )
    return {"steps": steps, "rows": rows, "uniform": all(r["skipped"] == 0 and r["missing"] == 0 for r in rows)}


def processes_with_counts(queryset):
    return queryset.select_related("opened_by").annotate(
        n_candidates=Count("candidates", distinct=True),
        n_released=Count("candidates", filter=Q(candidates__status=Candidate.Status.RELEASED), distinct=True),
    )
