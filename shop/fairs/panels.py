"""The fair's tools on its edit page in the Wagtail admin: short link, kit, poster, price list, report."""

from wagtail.admin.panels import Panel


class FairToolsPanel(Panel):
    """Links to what a saved fair has (nothing to link before the page has an address)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "fairs/panels/fair_tools.html"

        def get_context_data(self, parent_context=None):
            from shop.fairs.links import short_link

            context = super().get_context_data(parent_context)
            page = self.instance
            saved = bool(page.pk and page.code and page.url)
            context["saved"] = saved
            if saved:
                context.update(
                    short_link=short_link(page.code),
                    kit_url=page.url + page.reverse_subpage("kit"),
                    poster_url=page.url + page.reverse_subpage("poster"),
                    price_list_url=page.url + page.reverse_subpage("price_list"),
                )
            context["report_url"] = page.pk and self._report_url(page)
            return context

        @staticmethod
        def _report_url(page):
            from django.urls import reverse

            return reverse("fairs_report:detail", args=[page.pk])
