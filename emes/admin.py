"""Admin of the kernel, and the office scoping every EMES admin stands on (``OfficeScopedAdmin``).

Non-superusers see only the rows of their offices (and the shared ones) and write only to theirs.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import admin_display
from .access import offices_visible_to
from .fields import BEDateField, BEDateInput, BEDateTimeField, BEDateTimeInput, ThaiNumberField, ThaiNumberInput
from .people import services as people_services
from .services import save_office
from .models import (
    Division,
    Enrolment,
    Membership,
    Office,
    OfficeHoliday,
    Profile,
    Role,
    School,
    SchoolAccountBatch,
    SchoolImport,
)

admin_display.install()  # BE dates and grouped money in read-only fields and lists

admin.site.site_header = "EMES"
admin.site.site_title = "EMES"
admin.site.index_title = _("Monitoring, evaluation and reporting")


#: Roles whose holders work in the admin for their office (the office admin group): the offices they may write to.
ADMIN_WRITER_ROLES = frozenset({Role.DIRECTOR, Role.PLAN_OFFICER})

#: Dates and times are typed and shown in the Buddhist Era in the admin too (its own widgets are CE);
#: numbers read Thai digits and thousands separators (issue 13, items 6 and 7). Inlines use the same.
BE_FORMFIELD_OVERRIDES = {
    models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    models.DateTimeField: {"form_class": BEDateTimeField, "widget": BEDateTimeInput},
    models.DecimalField: {"form_class": ThaiNumberField, "widget": ThaiNumberInput},
}

WRONG_OFFICE = _(
    "This must belong to your own office: another office's data, or data shared by all offices, cannot be added "
    "or changed here."
)


def office_path_of(model: type[models.Model], _depth: int = 0) -> str | None:
    """The lookup from ``model`` to ``Office`` (``"pk"`` for Office itself), or ``None`` when it has none.

    A model registered with an ``OfficeScopedAdmin`` answers with that admin's ``office_path``; other
    models (inline rows such as enrolments, budget lines, skills) follow their ``office`` field or
    their first foreign key that leads to an office (at most four steps).
    """
    if model is Office:
        return "pk"
    model_admin = admin.site._registry.get(model)
    if isinstance(model_admin, OfficeScopedAdmin):
        return model_admin.office_path
    fields = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for f in fields:
        if f.name == "office" and f.related_model is Office:
            return "office"
    if _depth < 4:
        for f in fields:
            if f.related_model is model:
                continue
            sub = office_path_of(f.related_model, _depth + 1)
            if sub is not None:
                return f.name if sub == "pk" else f"{f.name}__{sub}"
    return None


def _shared_rows(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` without an office are shared by every office (read by all, written by superusers)."""
    model_admin = admin.site._registry.get(model)
    if isinstance(model_admin, OfficeScopedAdmin):
        return model_admin.shared_rows
    field = next((f for f in model._meta.get_fields() if f.name == "office" and f.many_to_one), None)
    return bool(field is not None and field.null)


def _national(model: type[models.Model]) -> bool:
    model_admin = admin.site._registry.get(model)
    return isinstance(model_admin, OfficeScopedAdmin) and model_admin.national


def scoped_queryset(model: type[models.Model], user, queryset: QuerySet | None = None, *, path: str | None = None,
                    shared: bool | None = None) -> QuerySet:
    """Rows of ``model`` (from ``queryset``) that ``user`` may see in the admin; superusers see all.

    Rows of the offices where the user is staff (``offices_visible_to``), plus rows shared by all
    offices (no office, e.g. national and OBEC strategies) and national tables (e.g. disbursement
    targets). People: the members of those offices. A model with no way to an office gives nothing,
    so a new model is closed until it says how it is scoped.
    """
    qs = model._default_manager.all() if queryset is None else queryset
    if user.is_superuser:
        return qs
    offices = offices_visible_to(user)
    if model is get_user_model():
        return qs.filter(pk__in=Membership.objects.filter(office__in=offices).values("user_id"))
    path = office_path_of(model) if path is None else path
    if path is None:
        return qs if _national(model) else qs.none()
    scope = Q(**{f"{path}__in": offices})
    if _shared_rows(model) if shared is None else shared:
        scope |= Q(**{f"{path}__isnull": True})
    return qs.filter(scope)


def office_of(obj: models.Model, path: str) -> Office | None:
    """The office ``obj`` belongs to, following ``path`` (``"pk"``: ``obj`` is the office); ``None`` if it has none."""
    if path == "pk":
        return obj if isinstance(obj, Office) and obj.pk is not None else None
    value = obj
    for name in path.split("__"):
        try:
            value = getattr(value, name)
        except ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return value


def _writable_office_ids(user) -> set[int]:
    return set(offices_visible_to(user, ADMIN_WRITER_ROLES).values_list("pk", flat=True))


def _scope_formfield_kwargs(db_field, request, kwargs: dict) -> dict:
    if not request.user.is_superuser:
        kwargs["queryset"] = scoped_queryset(db_field.related_model, request.user, kwargs.get("queryset"))
    return kwargs


class ScopedChoicesMixin:
    """Form choices (foreign keys and many-to-many) limited to the user's offices and the shared rows.

    Used by ``OfficeScopedAdmin`` and by every inline of it (``ScopedTabularInline``), so no dropdown,
    multi-select or raw-id lookup accepts another office's row (Django refuses a value outside
    the field's queryset with its "select a valid choice" message).
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_scope_formfield_kwargs(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **_scope_formfield_kwargs(db_field, request, kwargs))


class ScopedTabularInline(ScopedChoicesMixin, admin.TabularInline):
    """The base of every inline of an ``OfficeScopedAdmin`` (its choices are scoped like the parent's).

    The rows' hidden ids are scoped too, so a tampered id of another office's row is not a valid choice.
    """

    formfield_overrides = BE_FORMFIELD_OVERRIDES

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if request.user.is_superuser:
            return formset
        user = request.user

        class ScopedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                field = form.fields.get(self._pk_field.name)
                if isinstance(field, forms.ModelChoiceField):
                    field.queryset = scoped_queryset(field.queryset.model, user, field.queryset)

        ScopedFormSet.__name__ = formset.__name__
        return ScopedFormSet


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field list filter offering only the rows the user may see (``scoped_queryset``)."""

    def field_choices(self, field, request, model_admin):
        qs = scoped_queryset(field.related_model, request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            qs = qs.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in qs]


class ScopedValuesListFilter(admin.AllValuesFieldListFilter):
    """A list filter on a plain value reached through a relation (``project__fiscal_year``) offering only the values
    of the rows this admin shows the user.

    Django's ``AllValuesFieldListFilter`` reads such values from every row of the related table, so an office's
    admin listed the years of all offices (values only, no rows; docs/roles-and-access.md, offices kept apart).
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request).order_by(field_path).values_list(field_path, flat=True).distinct()
        )


class OfficeScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """The base of every EMES admin: rows, choices, filters, autocompletes and writes limited to the user's offices.

    - ``office_path`` names the lookup from the model to ``Office`` (``"pk"`` for Office itself);
      ``None`` with ``national = True`` for national tables every office reads (superusers write).
    - ``shared_rows``: rows with no office are shared by all offices (national strategy, OBEC
      policies): everyone reads them, only superusers add or change them.
    - ``superuser_fields``: fields only superusers change (read-only for everyone else).
    - ``superusers_only``: the model is not the offices' business at all (support data).

    Non-superusers write only rows of offices where they are director or plan officer: the form's
    validation refuses any other office with a Thai message, and the saves check again.
    Source: issue 13 ("the admin writes across offices").
    """

    office_path: str | None = "office"
    shared_rows = False
    national = False
    superuser_fields: tuple[str, ...] = ()
    superusers_only = False
    formfield_overrides = BE_FORMFIELD_OVERRIDES

    # --- Reading -----------------------------------------------------------------------------------

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scoped_queryset(self.model, request.user, qs, path=self.office_path, shared=self.shared_rows)

    def get_search_results(self, request, queryset, search_term):
        # Autocompletes search this admin's rows: scoped again whatever queryset the caller passes.
        queryset = scoped_queryset(self.model, request.user, queryset, path=self.office_path, shared=self.shared_rows)
        return super().get_search_results(request, queryset, search_term)

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                try:
                    path = get_fields_from_path(self.model, item)
                except (FieldDoesNotExist, NotRelationField):
                    path = []
                if path and path[-1].is_relation:
                    item = (item, ScopedRelatedFieldListFilter)
                elif len(path) > 1 and not path[-1].choices:
                    item = (item, ScopedValuesListFilter)
            filters.append(item)
        return filters

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not isinstance(inline, ScopedChoicesMixin):
                raise ImproperlyConfigured(f"{type(inline).__name__}: inlines of an OfficeScopedAdmin use ScopedChoicesMixin")
        return inlines

    # --- Permissions -------------------------------------------------------------------------------

    def is_shared(self, obj) -> bool:
        """Whether ``obj`` is a shared or national row (no office of its own)."""
        if self.office_path is None:
            return True
        return self.shared_rows and obj is not None and obj.pk is not None and office_of(obj, self.office_path) is None

    def has_module_permission(self, request):
        return super().has_module_permission(request) and (request.user.is_superuser or not self.superusers_only)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (request.user.is_superuser or not self.superusers_only)

    def has_add_permission(self, request):
        if not request.user.is_superuser and (self.superusers_only or self.office_path in (None, "pk")):
            return False  # offices and national tables are created by superusers
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if not request.user.is_superuser and (self.superusers_only or self.office_path is None or self.is_shared(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not request.user.is_superuser and (self.superusers_only or self.office_path is None or self.is_shared(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return fields + tuple(f for f in self.superuser_fields if f not in fields)

    # --- Writing -----------------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == self.office_path:
            kwargs["required"] = True  # "no office" would make a shared row: superusers only
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.user.is_superuser or self.office_path is None:
            return form
        writable = _writable_office_ids(request.user)
        path = self.office_path

        class OfficeCheckedForm(form):
            def _post_clean(self):
                super()._post_clean()  # the instance now holds the submitted values
                office = office_of(self.instance, path)
                if office is None or office.pk not in writable:
                    root = path.split("__")[0]
                    self.add_error(root if root in self.fields else None, WRONG_OFFICE)

        OfficeCheckedForm.__name__ = form.__name__
        return OfficeCheckedForm

    def check_write(self, request, obj: models.Model, *, path: str | None = None) -> None:
        """Refuse (``PermissionDenied``) to write ``obj`` unless its office and every row it points at are the user's.

        Called by every save and delete of the admin after the form's validation (which gives the
        user the Thai message); here it guards the write itself. Subclasses add their rules (the
        plan lock) and call ``super()``.
        """
        user = request.user
        if user.is_superuser:
            return
        path = self.office_path if path is None else path
        office = office_of(obj, path) if path else None
        if office is None or office.pk not in _writable_office_ids(user):
            raise PermissionDenied(WRONG_OFFICE)
        for field in obj._meta.concrete_fields:
            if field.many_to_one and getattr(obj, field.attname) is not None:
                target = field.related_model
                if not scoped_queryset(target, user).filter(pk=getattr(obj, field.attname)).exists():
                    raise PermissionDenied(WRONG_OFFICE)
        if obj.pk is not None and self.superuser_fields and type(obj) is self.model:
            stored = self.model._default_manager.filter(pk=obj.pk).values(*self.superuser_fields).first() or {}
            if any(stored.get(f) != getattr(obj, f) for f in self.superuser_fields):
                raise PermissionDenied(WRONG_OFFICE)

    def save_model(self, request, obj, form, change):
        self.check_write(request, obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not request.user.is_superuser:
            for name, field in form.fields.items():
                values = form.cleaned_data.get(name)
                if isinstance(field, forms.ModelMultipleChoiceField) and values is not None:
                    allowed = scoped_queryset(field.queryset.model, request.user)
                    if allowed.filter(pk__in=[v.pk for v in values]).count() != len({v.pk for v in values}):
                        raise PermissionDenied(WRONG_OFFICE)
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        path = office_path_of(formset.model)
        instances = formset.save(commit=False)
        for obj in [*instances, *formset.deleted_objects]:
            self.check_write(request, obj, path=path)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            obj.save()
        formset.save_m2m()

    def delete_model(self, request, obj):
        self.check_write(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the bulk action is not atomic by itself; the checks may take row locks
            for obj in queryset:
                self.check_write(request, obj)
            super().delete_queryset(request, queryset)


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    """An office's letter details (address, phone, emblem, signer) are its own; its identity is the superusers'."""

    office_path = "pk"
    superuser_fields = ("area_code", "name", "type")
    list_display = ("area_code", "name", "type", "province")
    list_filter = ("type",)
    search_fields = ("area_code", "name", "province")

    def save_model(self, request, obj, form, change):
        # Through the service: an office's settings (letter prefix, director, emblem...) are audited.
        save_office(obj, by=request.user)


@admin.register(Division)
class DivisionAdmin(OfficeScopedAdmin):
    list_display = ("code", "name", "office")
    list_filter = ("office",)
    search_fields = ("name",)


class EnrolmentInline(ScopedTabularInline):
    model = Enrolment
    extra = 0


class MissingFilter(admin.SimpleListFilter):
    title = _("in the latest registry")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("no", _("Yes")), ("yes", _("No, missing from the latest import"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(missing_since__isnull=self.value() == "no")
        return queryset


@admin.register(School)
class SchoolAdmin(OfficeScopedAdmin):
    list_display = ("smis_code", "name", "district", "cluster", "students_total", "is_open", "missing_since", "office")
    list_filter = ("is_open", MissingFilter, "district", "cluster")
    search_fields = ("smis_code", "moe_code", "name")
    list_select_related = ("office",)
    inlines = [EnrolmentInline]


@admin.register(Membership)
class MembershipAdmin(OfficeScopedAdmin):
    list_display = ("user", "role", "office", "division", "school")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "office", "division", "school")
    raw_id_fields = ("school",)

    # Roles granted, changed or removed here write their audit event as on the people page.
    def save_model(self, request, obj, form, change):
        people_services.save_membership_in_admin(obj, by=request.user, change=change)

    def delete_model(self, request, obj):
        people_services.delete_membership_in_admin(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "office"):
            people_services.delete_membership_in_admin(membership, by=request.user)


@admin.register(OfficeHoliday)
class OfficeHolidayAdmin(OfficeScopedAdmin):
    list_display = ("date", "name", "office")
    list_filter = ("office",)
    date_hierarchy = "date"


class ReadOnlyScopedAdmin(OfficeScopedAdmin):
    """Rows written only by an app's services (rounds, recommendations, reminders, submissions): listed and
    read here, scoped like every admin, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NoFileLinkAdmin(OfficeScopedAdmin):
    """Read-only history of uploads and generated lists: their files are private and served by EMES pages only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolImport)
class SchoolImportAdmin(NoFileLinkAdmin):
    list_display = ("created_at", "original_name", "office", "academic_year", "status", "uploaded_by", "applied_at")
    list_filter = ("status",)
    exclude = ("file",)
    list_select_related = ("office", "uploaded_by")


@admin.register(SchoolAccountBatch)
class SchoolAccountBatchAdmin(NoFileLinkAdmin):
    list_display = ("created_at", "office", "accounts", "created_by")
    exclude = ("pdf", "xlsx")  # they hold one-time passwords: downloads go through the school-accounts page
    list_select_related = ("office", "created_by")


@admin.register(Profile)
class ProfileAdmin(OfficeScopedAdmin):
    """Account flags of every person: superusers only (the office group's view rights do not reach them)."""

    office_path = None
    superusers_only = True
    list_display = ("user", "must_change_password", "password_changed_at")
    list_filter = ("must_change_password",)
    search_fields = ("user__username",)

from emes.calendar import admin as _calendar_admin  # noqa: E402,F401  (registers calendar events)
from emes.notifications import admin as _notifications_admin  # noqa: E402,F401
from emes.audit import admin as _audit_admin  # noqa: E402,F401
from emes.documents import admin as _documents_admin  # noqa: E402,F401
