from django.contrib import admin
from unfold.admin import ModelAdmin

from .models import TaxRate


@admin.register(TaxRate)
class TaxRateAdmin(ModelAdmin):
    list_display = ["country", "rate", "name"]
    search_fields = ["country__printable_name", "country__iso_3166_1_a2"]
    autocomplete_fields = []
