"""Wagtail's two workflow reports, with the choices in their filters scoped.

Wagtail already lists only the rows of pages the user may edit, but its "workflow" and "task" filters
offer every workflow and task there is, so a cooperative's staff would read the other cooperative's
names there. Here those choices go through the one scoping helper (catalog.scoping.scope): its own
approval workflow and task for a cooperative member, all of them for the platform admin.

Served at Wagtail's own paths, ahead of its admin URLs (shop/urls.py), so its URL names, menu
items and links lead here.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports import workflows
from wagtail.utils.urlpatterns import decorate_urlpatterns

from catalog.scoping import scope


class ScopedChoicesMixin:
    """A filter set whose workflow and task choices are those of the requesting user."""

    scoped_filters = ("workflow", "task")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for name in self.scoped_filters:
            if name in self.filters:
                self.filters[name].queryset = scope(self.filters[name].queryset, user)


class WorkflowReportFilterSet(ScopedChoicesMixin, workflows.WorkflowReportFilterSet):
    pass


class WorkflowTasksReportFilterSet(ScopedChoicesMixin, workflows.WorkflowTasksReportFilterSet):
    pass


class WorkflowView(workflows.WorkflowView):
    filterset_class = WorkflowReportFilterSet


class WorkflowTasksView(workflows.WorkflowTasksView):
    filterset_class = WorkflowTasksReportFilterSet


urlpatterns = decorate_urlpatterns(
    [
        path("workflow/", WorkflowView.as_view()),
        path("workflow/results/", WorkflowView.as_view(results_only=True)),
        path("workflow_tasks/", WorkflowTasksView.as_view()),
        path("workflow_tasks/results/", WorkflowTasksView.as_view(results_only=True)),
    ],
    lambda view: never_cache(require_admin_access(view)),
)
