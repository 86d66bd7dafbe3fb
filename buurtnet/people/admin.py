from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from buurtnet.people.models import Block, Language, Talent, User


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "preferred_language")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone already uses this email address."))
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Someone already uses this email address."))
        return email


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "display_name", "preferred_language", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "preferred_language")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    filter_horizontal = ("groups", "user_permissions", "languages", "talents")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "preferred_language",
                    "photo",
                    "languages",
                    "talents",
                    "talents_other",
                    "passions",
                )
            },
        ),
        (
            _("Being asked for help"),
            {
                "fields": (
                    "open_to_asks",
                    "available_daytime",
                    "available_evenings",
                    "available_weekends",
                )
            },
        ),
        (
            _("What neighbours see"),
            {
                "fields": (
                    "listed_in_directory",
                    "show_photo",
                    "show_languages",
                    "show_talents",
                    "show_passions",
                    "show_building",
                    "show_thanks",
                )
            },
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "display_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("code", "english_name", "native_name")
    search_fields = ("code", "english_name", "native_name")


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "label")
    search_fields = ("slug", "name")

    @admin.display(description=_("name in the language of this page"))
    def label(self, obj: Talent) -> str:
        return obj.label


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__display_name", "blocked__display_name")
    raw_id_fields = ("blocker", "blocked")
    readonly_fields = ("created_at",)
