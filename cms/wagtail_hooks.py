"""Admin wiring: the product chooser, links between the Wagtail admin and Oscar's dashboard, and the
cooperative scoping of pages and media that Wagtail's own permissions leave open.

Wagtail's page permissions (GroupPagePermission on each cooperative's page, given by catalog.scoping)
already decide what a member may edit, publish, delete or move, and what the page listing, admin
search and admin page API show. Collection permissions decide what the image and document listings
and choosers show. What is left is closed here: the explorer, the page chooser, the move
confirmation and the workflow-cancellation check would still open any page of the tree, and the
admin API for images and documents would list every one.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry

from catalog.scoping import cooperative_for, cooperative_pages, other_cooperatives_pages
from cms.choosers import lot_product_chooser_viewset, product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_lot_product_chooser():
    return lot_product_chooser_viewset


@hooks.register("register_admin_menu_item")
def register_shop_dashboard_link():
    return MenuItem(_("Quản lý bán hàng"), reverse("dashboard:index"), icon_name="tag", order=900)


@hooks.register("register_admin_menu_item")
def register_products_link():
    # A product's one page (variants, price, stock, traceability, CSV) is in Oscar's dashboard.
    return MenuItem(
        pgettext_lazy("mục trình đơn", "Sản phẩm"),
        reverse("dashboard:catalogue-product-list"),
        icon_name="tag",
        order=240,
    )


class OwnCooperativePageMenuItem(MenuItem):
    """A member's shortcut to their cooperative's page (and the articles below it) in the explorer."""

    def own_page(self, request):
        cooperative = cooperative_for(request.user)
        if cooperative is None:
            return None
        return cooperative_pages(cooperative).filter(locale__language_code=settings.LANGUAGE_CODE).first()

    def is_shown(self, request):
        return self.own_page(request) is not None

    def render_component(self, request):
        component = super().render_component(request)
        component.url = reverse("wagtailadmin_explore", args=[self.own_page(request).pk])
        return component


@hooks.register("register_admin_menu_item")
def register_own_cooperative_page_link():
    return OwnCooperativePageMenuItem(_("Trang hợp tác xã"), "", icon_name="home", order=150)


# PAGES: a member explores, chooses and moves only pages within their reach
# ------------------------------------------------------------------------------
class ExplorableOnlyIndexView(ExplorableIndexView):
    """The explorer of a page a member has no permission on (nor below it) is a 404, not an empty list.

    Wagtail only checks that the page lies under the user's "explorable root", which for a member
    (their page in Vietnamese and in English) is the root of the whole tree.
    """

    def get(self, request, parent_page_id=None):
        if parent_page_id and cooperative_for(request.user) is not None:
            explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
            if not explorable.filter(pk=parent_page_id).exists():
                raise Http404
        return super().get(request, parent_page_id)


class EditorsOnlyConfirmWorkflowCancellationView(ConfirmWorkflowCancellationView):
    """Wagtail answers anyone which workflow task a page waits in; only its editors need to know."""

    def dispatch(self, request, *args, **kwargs):
        if not self.object.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedPageViewSet(PageViewSet):
    """Every page type's admin views (registered for Page, replacing Wagtail's default viewset)."""

    index_view_class = ExplorableOnlyIndexView
    confirm_workflow_cancellation_view_class = EditorsOnlyConfirmWorkflowCancellationView


@hooks.register("register_admin_viewset")  # after Wagtail's own base page viewset (order -1)
def register_scoped_page_viewset():
    return ScopedPageViewSet(name="scoped_pages")


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    """Wagtail's move confirmation renders for any page and destination; the move itself checks later."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_page_chooser_queryset")
def hide_other_cooperatives_pages(pages, request):
    """A member may link to the shop's pages and their own, never to another cooperative's.

    Browsing into another cooperative's page (or below it) is a 404.
    """
    hidden = other_cooperatives_pages(request.user)
    parent_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    if parent_id and hidden.filter(pk=parent_id).exists():
        raise Http404
    return pages.exclude(pk__in=hidden.values("pk"))


# MEDIA: the admin API lists only what the user may choose (their cooperative's collection)
# ------------------------------------------------------------------------------
class ChoosableOnlyMixin:
    def get_queryset(self):
        allowed = policy_registry.get_by_type(self.model).instances_user_has_any_permission_for(
            self.request.user, ["choose"]
        )
        return super().get_queryset().filter(pk__in=allowed.values("pk"))


class ScopedImagesAdminAPIViewSet(ChoosableOnlyMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(ChoosableOnlyMixin, DocumentsAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=100)  # after wagtail.images and wagtail.documents register theirs
def scope_media_admin_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
