"""Catalogue views: our database-backed browse pages replace Oscar's Haystack ones."""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.apps.catalogue.views import ProductDetailView as CoreProductDetailView
from oscar.core.loading import get_model

from catalog import browse, jsonld, trace
from cms import cache as page_cache

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


class ProductDetailView(CoreProductDetailView):
    """Oscar's product page plus traceability: OCOP stars, certificates, origin zones, JSON-LD."""

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        return super().get_object(Product.objects.for_product_page())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product, request = self.object, self.request
        # Both are worked out only when a fragment that shows them is not in the cache.
        product_trace = SimpleLazyObject(lambda: trace.product_trace(product))

        def product_jsonld():
            purchase_info = request.strategy.fetch_for_product(product) if hasattr(request, "strategy") else None
            return jsonld.script_tag(jsonld.product_jsonld(request, product, product_trace, purchase_info))

        context.update(
            trace=product_trace,
            product_jsonld=product_jsonld,
            fragment_version=page_cache.current_version(),
            fragment_seconds=page_cache.seconds(),
        )
        return context


class CatalogueView(TemplateView):
    """All products, with filters, facet counts, sorting and pagination."""

    template_name = "oscar/catalogue/browse.html"
    paginate_by = 24

    def get_categories(self):
        return None

    def get_summary(self):
        return _("Tất cả sản phẩm")

    def get_listing_name(self):
        """Which listing this is, for the facet cache."""
        return "catalogue"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = browse.BrowseForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        base = browse.browsable_products(self.get_categories())
        try:
            page, paginator, facets = browse.listing(
                base,
                data,
                self.request.GET.get("page"),
                self.paginate_by,
                facets_for=self.get_listing_name(),
                cards=True,
            )
        except (EmptyPage, PageNotAnInteger):
            raise Http404(_("Trang không tồn tại.")) from None
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            summary=self.get_summary(),
            cards=page.object_list,
            product_ids=page.ids,
            page_obj=page,
            paginator=paginator,
            facets=facets,
            cooperative_facets=facets["cooperative"],
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

    def get_listing_name(self):
        return f"category:{self.category.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context
