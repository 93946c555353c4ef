"""An admin change form posted back as a browser would: shared by the product screen's tests."""


def change_form_data(response, **changes) -> dict:
    """The change form's POST data (the form, every inline form, the formsets' management forms) as the
    browser sends it unchanged, with `changes` applied. `response` is the GET of the change page."""
    data = {}
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    for form in [response.context["adminform"].form, *(f for fs in formsets for f in fs.forms)]:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in formsets:
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
    data.update(changes)
    return data
