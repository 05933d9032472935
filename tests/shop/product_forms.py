"""Helpers for posting the product page: the data a browser would send for the form as rendered."""

from django.forms import CheckboxInput, CheckboxSelectMultiple, ClearableFileInput, FileInput, SelectMultiple


def form_fields(form):
    """{name: value} of a rendered form, as its widgets would submit it (unchecked boxes left out)."""
    data = {}
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, (FileInput, ClearableFileInput)) or bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(widget, (CheckboxSelectMultiple, SelectMultiple)):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in (value or [])]
            continue
        value = bound.field.prepare_value(value) if value is not None else ""
        data[bound.html_name] = "" if value is None else str(getattr(value, "pk", value))
    return data


def page_data(context, **changes):
    """Everything the product page posts (the form, every formset and its management form), plus changes."""
    data = form_fields(context["form"])
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset", "variant_formset"):
        formset = context.get(name)
        if formset is None:
            continue
        data.update(form_fields(formset.management_form))
        for form in formset.forms:
            data.update(form_fields(form))
    data.update(changes)
    return data


def variant_row(context, index, **values):
    """Posted fields of the variants formset's form `index`, e.g. variant_row(ctx, 0, sku="X", price="1000")."""
    prefix = context["variant_formset"].prefix
    return {f"{prefix}-{index}-{name}": value for name, value in values.items()}


def stock_row(context, index, **values):
    prefix = context["stockrecord_formset"].prefix
    return {f"{prefix}-{index}-{name}": value for name, value in values.items()}
