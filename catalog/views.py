"""Catalogue views: our database-backed browse pages replace Oscar's Haystack ones."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.apps.catalogue.views import ProductDetailView  # noqa: F401  (re-exported for Oscar's loader)
from oscar.core.loading import get_model

from catalog import browse

Category = get_model("catalogue", "Category")


class CatalogueView(TemplateView):
    """All products, with filters, facet counts, sorting and pagination."""

    template_name = "oscar/catalogue/browse.html"
    paginate_by = 24

    def get_categories(self):
        return None

    def get_summary(self):
        return _("Tất cả sản phẩm")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = browse.BrowseForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        base = browse.browsable_products(self.get_categories())
        filtered = browse.apply_filters(base, data)
        ordering = browse.SORTS.get(data.get("sort") or "relevance")
        paginator = Paginator(browse.for_cards(filtered.order_by(*ordering)), self.paginate_by)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except (EmptyPage, ValueError):
            raise Http404(_("Trang không tồn tại.")) from None
        facet_base = browse.apply_filters(base, {**data, "cooperative": None})
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            summary=self.get_summary(),
            products=page.object_list,
            page_obj=page,
            paginator=paginator,
            cooperative_facets=browse.cooperative_facets(facet_base, data.get("cooperative")),
            querystring=query.urlencode(),
        )
        return context


class ProductCategoryView(CatalogueView):
    """Products in one category and its descendants."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if request.path != expected:
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_categories(self):
        return self.category.get_descendants_and_self()

    def get_summary(self):
        return self.category.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context
