from django.contrib import admin

from .models import ContactOfficerCapacity


@admin.register(ContactOfficerCapacity)
class ContactOfficerCapacityAdmin(admin.ModelAdmin):
    list_display = ["officer", "max_persons"]
    raw_id_fields = ["officer"]
