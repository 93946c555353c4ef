"""Upload and export forms on unfold's import-export forms (its widgets and styling)."""

from __future__ import annotations

from django import forms
from unfold.contrib.import_export.forms import ExportForm, ImportForm
from unfold.widgets import UnfoldAdminSelectWidget

from .formats import FORMATS, format_from_filename
from .resources import ResourceEntry


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    form.fields[name].choices = choices
    form.fields[name].widget = UnfoldAdminSelectWidget(choices=choices)


class ImportUploadForm(ImportForm):
    """Resource (by key), file, and format (by key; taken from the file name when left empty)."""

    def __init__(self, *, entries: list[ResourceEntry], data=None, files=None) -> None:
        super().__init__(list(FORMATS.values()), [e.resource_class for e in entries], data=data, files=files)
        _choices(self, "resource", [("", "Select what to import"), *((e.key, e.label) for e in entries)])
        _choices(self, "format", [("", "From the file name"), *((key, key.upper()) for key in FORMATS)])
        self.fields["resource"].required = True
        self.fields["format"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload and not cleaned.get("format"):
            guessed = format_from_filename(upload.name)
            if guessed is None:
                self.add_error("format", "Choose the format: the file name does not end in .csv, .xlsx or .json.")
            cleaned["format"] = guessed
        return cleaned


class ExportChoiceForm(ExportForm):
    def __init__(self, *, entries: list[ResourceEntry], data=None) -> None:
        super().__init__(list(FORMATS.values()), [e.resource_class for e in entries], data=data)
        _choices(self, "resource", [("", "Select what to export"), *((e.key, e.label) for e in entries)])
        _choices(self, "format", [(key, key.upper()) for key in FORMATS])
        self.fields["resource"].required = True
